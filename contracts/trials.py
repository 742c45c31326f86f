"""Trial events: a field trial started, completed with its report, or terminated."""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import Event
from contracts.subjects import Subjects


class TrialParty(BaseModel):
    """One party of a trial, for notifications."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    role: Literal["wish", "solution"] = Field(description="Which side.")
    id: str = Field(description="Wish or solution id.")
    title_en: str | None = Field(None, description="Title in English.")
    title_zh: str | None = Field(None, description="Title in Traditional Chinese.")
    contact_email: str = Field(description="Contact address.")
    owner_org: str = Field(description="Owning organisation.")


class KpiResult(BaseModel):
    """A KPI's measured result against its target."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = Field(description="KPI name.", examples=["Energy saved"])
    unit: str = Field(description="Unit.", examples=["kWh/day"])
    baseline: float = Field(description="Value before the trial.")
    target: float = Field(description="Value the trial must reach.")
    direction: Literal["increase", "decrease"] = Field(description="Which way is better.")
    measured: float | None = Field(
        None,
        description="Result measured in the trial: its measurements summarised by `aggregate`; "
        "null without data.",
    )
    met: bool = Field(description="Whether the target was met.")
    count: int = Field(0, ge=0, description="How many measurements the result summarises.")
    aggregate: Literal["mean", "median", "last", "min", "max"] = Field(
        "mean",
        description="How the measurements were summarised, as fixed in the plan (mean when an "
        "older event does not say).",
    )


class TrialStarted(Event):
    """EMSD started a planned trial."""

    SUBJECT: ClassVar[str] = Subjects.TRIAL_STARTED
    trial_id: str = Field(description="Trial id.")
    match_id: str = Field(description="The accepted match it trials.")
    venue_id: str = Field(description="Venue id.")
    planned_start: datetime = Field(description="Planned start.")
    planned_end: datetime = Field(description="Planned end.")
    parties: list[TrialParty] = Field(default_factory=list, description="Both sides.")


class TrialCompleted(Event):
    """A trial completed and its performance report was published."""

    SUBJECT: ClassVar[str] = Subjects.TRIAL_COMPLETED
    trial_id: str = Field(description="Trial id.")
    match_id: str = Field(description="The match it trialled.")
    verdict: Literal["passed", "partially_passed", "failed"] = Field(description="Overall verdict.")
    kpi_results: list[KpiResult] = Field(description="Each KPI against its target.")
    summary: str | None = Field(None, description="EMSD's summary.")
    report_url: str = Field(description="Where the published report is.")
    report_version: int = Field(1, ge=1, description="Report version.")
    report_hash: str | None = Field(
        None, description="sha256 of the report's canonical JSON (see report.json content_hash)."
    )
    venue_id: str | None = Field(None, description="Where the trial took place.")
    parties: list[TrialParty] = Field(default_factory=list, description="Both sides.")


class TrialTerminated(Event):
    """A trial ended early; its reason is published so no trial ends in silence."""

    SUBJECT: ClassVar[str] = Subjects.TRIAL_TERMINATED
    trial_id: str = Field(description="Trial id.")
    match_id: str = Field(description="The match it trialled.")
    reason: str = Field(description="Why it was terminated.")
    from_state: Literal["planned", "running"] = Field(description="State it left.")
    parties: list[TrialParty] = Field(default_factory=list, description="Both sides.")
