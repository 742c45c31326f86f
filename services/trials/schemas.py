"""Request bodies of the trials API: shapes and bounds here, the rules in the domain."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, Strict, StringConstraints

from innoportal.fields import id_pattern, printable_line, printable_text

# Ids are short printable ASCII; anything else names no record and must not reach the database
# (PostgreSQL refuses NUL in text).
ID_PATTERN = id_pattern(64)
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN)]


def _moment(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a time zone (e.g. Z or +08:00)")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None
    if not 1970 <= utc.year <= 2999:
        raise ValueError("must be between the years 1970 and 2999")
    return utc


def line(max_length: int) -> Any:
    """A one-line text of 1 to max_length characters (stripped)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(printable_line),
    ]


def text(max_length: int) -> Any:
    """A text of 1 to max_length characters that may span lines."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(printable_text),
    ]


Moment = Annotated[
    datetime,
    AfterValidator(_moment),
    Field(description="ISO 8601 date-time with a time zone",
          examples=["2026-11-21T09:30:00+08:00"]),
]
# A JSON number (a string is refused); NaN, infinities and values beyond ±10^15 are refused by
# the domain, whose messages say which.
Number = Annotated[float, Strict()]
Name = line(200)
Address = line(500)
KpiName = line(120)
Unit = line(40)
Summary = text(5000)
Reason = text(2000)


class VenueCreate(BaseModel):
    """POST /v1/venues body."""

    name_en: Name
    name_zh: Name
    address: Address
    owner_department: Name
    concurrent: Annotated[bool, Strict()] = Field(
        False, description="Whether the venue may host several trials at once"
    )


class KpiIn(BaseModel):
    """A KPI of the plan: baseline, target and which way is better."""

    name: KpiName
    unit: Unit
    baseline: Number
    target: Number
    direction: Literal["increase", "decrease"]


class TrialCreate(BaseModel):
    """POST /v1/trials body: the plan, fixed before the start (changed only by amendments)."""

    match_id: Id = Field(description="An accepted match")
    venue_id: Id = Field(description="GET /v1/venues lists them", examples=["v-emsd-hq"])
    planned_start: Moment
    planned_end: Moment
    kpis: list[KpiIn] = Field(description="1 to 20 KPIs; every one is judged at completion")


class MeasurementIn(BaseModel):
    """POST /v1/trials/{id}/measurements body."""

    kpi: KpiName = Field(description="The name of one of the trial's KPIs")
    value: Number = Field(description="A finite number in the KPI's unit, within ±10^15")
    measured_at: Moment | None = Field(
        None, description="When it was measured (inside the running window); default now"
    )


class CompleteIn(BaseModel):
    """POST /v1/trials/{id}/complete body."""

    summary: Summary


class TerminateIn(BaseModel):
    """POST /v1/trials/{id}/terminate body."""

    reason: Reason


class AmendmentIn(BaseModel):
    """POST /v1/trials/{id}/amendments body: the reason and only the fields that change."""

    reason: Reason
    planned_start: Moment | None = None
    planned_end: Moment | None = None
    venue_id: Id | None = None
    kpis: list[KpiIn] | None = None

    def changes(self) -> dict[str, object]:
        """The plan fields this amendment sets (absent or null fields stay as they are)."""
        out: dict[str, object] = {}
        for name in ("planned_start", "planned_end", "venue_id"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.kpis is not None:
            out["kpis"] = [k.model_dump() for k in self.kpis]
        return out


class CorrectionIn(BaseModel):
    """POST /v1/trials/{id}/report/corrections body: a new report version with a new summary."""

    reason: Reason
    summary: Summary
