"""The trials service's tables (SQLModel, async; SQLite and PostgreSQL)."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlmodel import Field, SQLModel

from contracts import utcnow
from innoportal.db import UTCDateTime


class VenueRow(SQLModel, table=True):
    """A venue; booking_seq is bumped by every booking so bookings of one venue serialize."""

    __tablename__ = "venues"

    id: str = Field(primary_key=True, max_length=64)
    name_en: str = Field(max_length=200)
    name_zh: str = Field(max_length=200)
    address: str = Field(max_length=500)
    owner_department: str = Field(max_length=200)
    concurrent: bool = False
    booking_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TrialRow(SQLModel, table=True):
    """A trial's current state and plan; version guards every state change (optimistic lock)."""

    __tablename__ = "trials"
    __table_args__ = (
        # The bookings query: the active trials holding a venue, with their windows.
        Index("ix_trials_booking", "venue_id", "state", "planned_start", "planned_end"),
    )

    id: str = Field(primary_key=True, max_length=64)
    match_id: str = Field(max_length=64, index=True)
    venue_id: str = Field(sa_column=Column(String(64), ForeignKey("venues.id"), nullable=False))
    state: str = Field(max_length=16, index=True)
    planned_start: datetime = Field(sa_type=UTCDateTime)
    planned_end: datetime = Field(sa_type=UTCDateTime)
    actual_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    kpis: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    parties: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))  # wish, solution
    summary: str | None = Field(default=None, sa_column=Column(Text))
    termination_reason: str | None = Field(default=None, sa_column=Column(Text))
    results: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    verdict: str | None = Field(default=None, max_length=20)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1
    measurement_count: int = 0


class TransitionRow(SQLModel, table=True):
    """One recorded lifecycle move."""

    __tablename__ = "trial_transitions"
    __table_args__ = (UniqueConstraint("trial_id", "seq", name="uq_trial_transition_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    trial_id: str = Field(
        sa_column=Column(String(64), ForeignKey("trials.id"), nullable=False, index=True)
    )
    seq: int
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str = Field(max_length=16)
    by_org: str = Field(max_length=200)
    by_role: str = Field(max_length=16)
    at: datetime = Field(sa_type=UTCDateTime)
    note: str | None = Field(default=None, sa_column=Column(Text))


class AmendmentRow(SQLModel, table=True):
    """One recorded change of a trial's plan."""

    __tablename__ = "trial_amendments"
    __table_args__ = (UniqueConstraint("trial_id", "seq", name="uq_trial_amendment_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    trial_id: str = Field(
        sa_column=Column(String(64), ForeignKey("trials.id"), nullable=False, index=True)
    )
    seq: int
    by_org: str = Field(max_length=200)
    by_role: str = Field(max_length=16)
    at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    changes: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))


class MeasurementRow(SQLModel, table=True):
    """One KPI reading, as validated by the domain."""

    __tablename__ = "trial_measurements"
    __table_args__ = (Index("ix_trial_measurements_series", "trial_id", "kpi", "measured_at"),)

    id: int | None = Field(default=None, primary_key=True)
    trial_id: str = Field(sa_column=Column(String(64), ForeignKey("trials.id"), nullable=False))
    kpi: str = Field(max_length=120)
    value: float = Field(sa_column=Column(Float(precision=53), nullable=False))
    measured_at: datetime = Field(sa_type=UTCDateTime)
    by_org: str = Field(max_length=200)
    by_role: str = Field(max_length=16)
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class ReportRow(SQLModel, table=True):
    """One published version of a trial's report; never updated or deleted once written."""

    __tablename__ = "trial_reports"
    __table_args__ = (UniqueConstraint("trial_id", "version", name="uq_trial_report_version"),)

    id: str = Field(primary_key=True, max_length=80)  # "<trial_id>/v<version>"
    trial_id: str = Field(
        sa_column=Column(String(64), ForeignKey("trials.id"), nullable=False, index=True)
    )
    version: int
    verdict: str = Field(max_length=20)
    content_hash: str = Field(max_length=64)
    content: str = Field(sa_column=Column(Text, nullable=False))  # the sealed report JSON
    html: str = Field(sa_column=Column(Text, nullable=False))
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    published_at: datetime = Field(sa_type=UTCDateTime, index=True)


class MatchDecisionRow(SQLModel, table=True):
    """EMSD's latest decision on a match, kept from MatchDecided events (trials need acceptance)."""

    __tablename__ = "trial_match_decisions"

    match_id: str = Field(primary_key=True, max_length=64)
    decision: str = Field(max_length=16)
    wish: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    solution: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    decided_at: datetime = Field(sa_type=UTCDateTime)
    event_id: str = Field(max_length=64)


@event.listens_for(ReportRow, "before_update")
def _report_is_immutable(*_: Any) -> None:
    raise RuntimeError("a published report never changes; publish a new version instead")


@event.listens_for(ReportRow, "before_delete")
def _report_is_permanent(*_: Any) -> None:
    raise RuntimeError("a published report is never deleted; publish a new version instead")


TRIALS_TABLES = [
    VenueRow.__table__,
    TrialRow.__table__,
    TransitionRow.__table__,
    AmendmentRow.__table__,
    MeasurementRow.__table__,
    ReportRow.__table__,
    MatchDecisionRow.__table__,
]
