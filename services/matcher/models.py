"""Matcher tables (its copy of records, matches) and the API's models."""

import json
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from contracts import MatchParty, MatchReason, utcnow
from innoportal.db import UTCDateTime
from innoportal.fields import Note, OptionalNote
from innoportal.privacy import Viewer, may_see_match_contact


def new_match_id() -> str:
    """A fresh match id."""
    return "m-" + uuid.uuid4().hex[:24]


class IndexedRecord(SQLModel, table=True):
    """The matcher's own copy of a wish or solution: rebuilds the index without the stream."""

    __tablename__ = "matcher_records"

    kind: str = Field(primary_key=True, max_length=10)  # wish or solution
    id: str = Field(primary_key=True, max_length=40)
    payload: str = Field(sa_type=Text)  # the record as received (WishRecord/SolutionRecord JSON)
    status: str = Field(default="open", max_length=10)  # a wish closed before it was posted too
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class MatchRow(SQLModel, table=True):
    """A wish-solution pair above the threshold, and EMSD's decision on it."""

    __tablename__ = "matches"
    # One row per pair: a redelivered or replayed event can never make a second Matched.
    __table_args__ = (UniqueConstraint("wish_id", "solution_id", name="uq_matches_pair"),)

    id: str = Field(default_factory=new_match_id, primary_key=True, max_length=40)
    wish_id: str = Field(max_length=40, index=True)
    solution_id: str = Field(max_length=40, index=True)
    score: float
    reasons_json: str = Field(sa_type=Text)
    wish_json: str = Field(sa_type=Text)
    solution_json: str = Field(sa_type=Text)
    status: str = Field(default="pending", max_length=10, index=True)
    decided_by: str | None = Field(default=None, max_length=100)
    decision_reason: str | None = Field(default=None, sa_type=Text)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def reasons(self) -> list[MatchReason]:
        """Why the pair matched."""
        return [MatchReason(**r) for r in json.loads(self.reasons_json)]

    @property
    def wish(self) -> MatchParty:
        """The wish side."""
        return MatchParty(**json.loads(self.wish_json))

    @property
    def solution(self) -> MatchParty:
        """The solution side."""
        return MatchParty(**json.loads(self.solution_json))


class TrialRow(SQLModel, table=True):
    """A field trial of one of the matcher's matches, as TrialStarted, TrialCompleted and
    TrialTerminated told it: what POST /v1/similar shows of a solution's past."""

    __tablename__ = "matcher_trials"

    trial_id: str = Field(primary_key=True, max_length=40)
    match_id: str = Field(max_length=40)
    wish_id: str = Field(max_length=40)
    solution_id: str = Field(max_length=40, index=True)
    state: str = Field(max_length=12)  # running, completed or terminated
    verdict: str | None = Field(default=None, max_length=20)  # of the latest report version
    report_version: int | None = None
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def party(record: Any) -> MatchParty:
    """What both parties need to know of one side of a match."""
    return MatchParty(id=record.id, title_en=record.title_en, title_zh=record.title_zh,
                      contact_email=record.contact_email, owner_org=record.owner_org)


class Decision(BaseModel):
    """POST /v1/matches/{id}/accept body (the reason is optional)."""

    reason: OptionalNote = None


class Rejection(BaseModel):
    """POST /v1/matches/{id}/reject body: say why, so both parties learn it."""

    reason: Note  # required and not blank: a rejection without a reason tells nobody anything


class MatchPartyPublic(BaseModel):
    """One side of a match as anyone sees it: no contact email."""

    id: str = PydanticField(description="Wish or solution id.")
    title_en: str | None = PydanticField(None, description="Title in English.")
    title_zh: str | None = PydanticField(None, description="Title in Traditional Chinese.")
    owner_org: str = PydanticField(description="Owning organisation.")


class MatchPartyWithContact(MatchPartyPublic):
    """One side of a match with its contact: for EMSD, for that side itself, and for the other
    side once the match is accepted."""

    contact_email: str = PydanticField(description="Contact address of this side.")


MatchPartyView = MatchPartyWithContact | MatchPartyPublic


def party_view(side: MatchParty, other: MatchParty, *, accepted: bool,
               viewer: Viewer | None) -> MatchPartyPublic:
    """One side of a match as `viewer` may see it."""
    shown = may_see_match_contact(viewer, side.owner_org, other.owner_org, accepted=accepted)
    return (MatchPartyWithContact if shown else MatchPartyPublic)(**side.model_dump())


class MatchPublic(BaseModel):
    """A match as the API shows it; each side's contact only to those who may see it."""

    id: str
    wish_id: str
    solution_id: str
    score: float
    reasons: list[MatchReason]
    wish: MatchPartyView
    solution: MatchPartyView
    status: Literal["pending", "accepted", "rejected"]
    decided_by: str | None
    decision_reason: str | None
    decided_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, row: MatchRow, viewer: Viewer | None) -> "MatchPublic":
        """The view of a stored match for `viewer` (None: anonymous)."""
        wish, solution = row.wish, row.solution
        accepted = row.status == "accepted"
        return cls(
            id=row.id, wish_id=row.wish_id, solution_id=row.solution_id, score=row.score,
            reasons=row.reasons,
            wish=party_view(wish, solution, accepted=accepted, viewer=viewer),
            solution=party_view(solution, wish, accepted=accepted, viewer=viewer),
            status=row.status, decided_by=row.decided_by, decision_reason=row.decision_reason,
            decided_at=row.decided_at, created_at=row.created_at,
        )


class MatchPage(BaseModel):
    """A page of matches."""

    items: list[MatchPublic]
    total: int
    limit: int
    offset: int


MATCHER_TABLES = [IndexedRecord.__table__, MatchRow.__table__, TrialRow.__table__]
