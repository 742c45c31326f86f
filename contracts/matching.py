"""Matching events: a wish and a solution paired, and EMSD's decision on the pair."""

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import Event
from contracts.subjects import Subjects


class MatchParty(BaseModel):
    """What the notifier needs to tell one side of a match."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(description="Wish or solution id.")
    title_en: str | None = Field(None, description="Title in English.")
    title_zh: str | None = Field(None, description="Title in Traditional Chinese.")
    contact_email: str = Field(description="Contact address of this side.")
    owner_org: str = Field(description="Owning organisation.")


class MatchReason(BaseModel):
    """One reason a pair matched, in the language it matched."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: Literal["category", "term", "glossary", "semantic"] = Field(
        description="category: shared category; term: shared word; glossary: a bilingual "
        "domain term; semantic: meaning close in the embedding model."
    )
    value: str = Field(description="The category id, term or phrase.", examples=["升降機"])
    language: Literal["en", "zh", "any"] = Field("any", description="Language it matched in.")
    weight: float = Field(0.0, ge=0, description="Its share of the score.")


class Matched(Event):
    """The matcher paired a wish with a solution above the threshold."""

    SUBJECT: ClassVar[str] = Subjects.MATCH_FOUND
    match_id: str = Field(description="Match id.", examples=["m-5a4b3c2d1e0f9a8b"])
    wish_id: str = Field(description="Wish id.")
    solution_id: str = Field(description="Solution id.")
    score: float = Field(ge=0, le=1, description="Match score from 0 to 1.", examples=[0.82])
    reasons: list[MatchReason] = Field(default_factory=list, description="Why they matched.")
    wish: MatchParty = Field(description="The wish side.")
    solution: MatchParty = Field(description="The solution side.")


class MatchDecided(Event):
    """EMSD accepted or rejected a match."""

    SUBJECT: ClassVar[str] = Subjects.MATCH_DECIDED
    match_id: str = Field(description="Match id.")
    wish_id: str = Field(description="Wish id.")
    solution_id: str = Field(description="Solution id.")
    decision: Literal["accepted", "rejected"] = Field(description="The decision.")
    reason: str | None = Field(None, description="Why, as EMSD wrote it.")
    decided_by: str = Field(description="Organisation of the deciding EMSD officer.")
    wish: MatchParty = Field(description="The wish side.")
    solution: MatchParty = Field(description="The solution side.")
