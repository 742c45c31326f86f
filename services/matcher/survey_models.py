"""The market survey's and possible duplicates' models: what GET /v1/survey and POST /v1/similar
take and answer. Public reads: no contact email in any of them."""

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts import MatchReason
from contracts.categories import CategoryId


class Candidate(BaseModel):
    """A record as a survey or a duplicate check lists it: enough to show it in a list."""

    score: float = Field(description="The matcher's score against what was asked, 0 to 1.")
    reasons: list[MatchReason] = Field(description="Why: shared categories, terms, concepts.")
    title_en: str | None = Field(None, description="Title in English.")
    title_zh: str | None = Field(None, description="Title in Traditional Chinese.")
    owner_org: str = Field(description="Owning organisation.")
    categories: list[str] = Field(description="Category ids.")


class SolutionCandidate(Candidate):
    """A solution in a survey of a wish or of free text."""

    solution_id: str = Field(description="Solution id.")
    trl: int = Field(description="Technology readiness level, 1 to 9.")


class WishCandidate(Candidate):
    """An open wish in a survey of a solution."""

    wish_id: str = Field(description="Wish id.")
    status: Literal["open", "closed"] = Field(description="open or closed.")
    closes_on: date | None = Field(None, description="Last day for proposals.")


class SurveyPage(BaseModel):
    """A page of a market survey: ranked, best first, every record above the floor counted."""

    ranks: Literal["solutions", "wishes"] = Field(description="What the items are.")
    items: list[SolutionCandidate | WishCandidate]
    total: int = Field(description="Records above the floor, on every page.")
    limit: int
    offset: int
    floor: float = Field(description="The lowest score listed (INNOPORTAL_MATCHER_SURVEY_FLOOR).")


class Draft(BaseModel):
    """POST /v1/similar: a wish or solution as typed so far, not stored. Other fields of the form
    (contact, budget, TRL…) may come along and are ignored."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["wish", "solution"] = Field(description="Compare with wishes or solutions.")
    title_en: str | None = Field(None, max_length=200)
    title_zh: str | None = Field(None, max_length=200)
    description_en: str | None = Field(None, max_length=10_000)
    description_zh: str | None = Field(None, max_length=10_000)
    categories: list[CategoryId] = Field(default_factory=list, max_length=5)
    limit: int = Field(5, ge=1, le=20, description="Most records answered.")

    def texts(self) -> dict[str, Any]:
        """The draft as the matcher profiles a record."""
        return {"id": "", "title_en": self.title_en, "title_zh": self.title_zh,
                "description_en": self.description_en, "description_zh": self.description_zh,
                "categories": self.categories}


class PastTrial(BaseModel):
    """A field trial of a solution, as the trials service announced it."""

    trial_id: str = Field(description="Trial id (its report: GET /v1/trials/{id}/report).")
    match_id: str
    wish_id: str
    state: Literal["running", "completed", "terminated"]
    verdict: Literal["passed", "partially_passed", "failed"] | None = Field(
        None, description="The latest report's verdict, once completed.")
    report_version: int | None = Field(None, description="The latest report version.")


class Similar(BaseModel):
    """An existing record most like the draft."""

    id: str
    kind: Literal["wish", "solution"]
    score: float = Field(description="The matcher's score against the draft, 0 to 1.")
    reasons: list[MatchReason]
    title_en: str | None = None
    title_zh: str | None = None
    owner_org: str
    categories: list[str]
    status: Literal["open", "listed"] = Field(description="A wish open for proposals; a listed "
                                              "solution.")
    trl: int | None = Field(None, description="A solution's readiness level.")
    trials: list[PastTrial] = Field(default_factory=list,
                                    description="A solution's field trials, newest first.")


class SimilarPage(BaseModel):
    """POST /v1/similar's answer: the most alike first, none below the floor."""

    kind: Literal["wish", "solution"]
    items: list[Similar]
    floor: float = Field(description="The lowest score answered "
                         "(INNOPORTAL_MATCHER_SIMILAR_FLOOR).")
