"""Solution events: a provider's I&T solution submitted."""

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import Event
from contracts.subjects import Subjects


class SolutionRecord(BaseModel):
    """A solution as published: the stored record's public fields, not the table."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(description="Solution id.", examples=["s-91b2c3d4e5f60718"])
    title_en: str | None = Field(None, description="Title in English.", examples=["AI lift monitoring"])
    title_zh: str | None = Field(None, description="Title in Traditional Chinese.", examples=["人工智能升降機監測"])
    description_en: str | None = Field(None, description="Description in English.")
    description_zh: str | None = Field(None, description="Description in Traditional Chinese.")
    categories: list[str] = Field(description="Category ids.", examples=[["ai-data-analytics"]])
    contact_email: str = Field(description="Who to contact about this solution.")
    owner_org: str = Field(description="The provider that submitted it.", examples=["HKUST"])
    trl: int = Field(ge=1, le=9, description="Technology readiness level, 1 to 9.", examples=[6])
    website: str | None = Field(None, description="The provider's page for it.")
    wish_id: str | None = Field(None, description="The wish it answers, if submitted for one.")
    created_at: datetime = Field(description="When the solution was stored (UTC).")


class SolutionSubmitted(Event):
    """A provider submitted a solution."""

    SUBJECT: ClassVar[str] = Subjects.SOLUTION_SUBMITTED
    solution: SolutionRecord = Field(description="The solution as stored.")
