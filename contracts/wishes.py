"""Wish events: a department's need posted, or closed."""

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import Event
from contracts.subjects import Subjects


class WishRecord(BaseModel):
    """A wish as published: the stored record's public fields, not the table."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(description="Wish id.", examples=["w-3f9c2a1e8b7d4c60"])
    title_en: str | None = Field(None, description="Title in English.", examples=["Lift fault prediction"])
    title_zh: str | None = Field(None, description="Title in Traditional Chinese.", examples=["升降機故障預測"])
    description_en: str | None = Field(None, description="Description in English.")
    description_zh: str | None = Field(None, description="Description in Traditional Chinese.")
    categories: list[str] = Field(description="Category ids.", examples=[["building-services"]])
    contact_email: str = Field(description="Who to contact about this wish.", examples=["ee@emsd.gov.hk"])
    owner_org: str = Field(description="The department that owns the wish.", examples=["EMSD"])
    budget_hkd: int | None = Field(None, description="Indicative budget in HK$.", examples=[500000])
    closes_on: date | None = Field(None, description="Last day for proposals.")
    venue_note: str | None = Field(None, description="Where a trial could take place.")
    status: Literal["open", "closed"] = Field("open", description="open or closed.")
    created_at: datetime = Field(description="When the wish was stored (UTC).")


class WishPosted(Event):
    """A department posted a wish."""

    SUBJECT: ClassVar[str] = Subjects.WISH_POSTED
    wish: WishRecord = Field(description="The wish as stored.")


class WishClosed(Event):
    """A wish's owner closed it; it is no longer open for matching."""

    SUBJECT: ClassVar[str] = Subjects.WISH_CLOSED
    wish_id: str = Field(description="Wish id.", examples=["w-3f9c2a1e8b7d4c60"])
    owner_org: str = Field(description="The department that closed it.", examples=["EMSD"])
    reason: str | None = Field(None, description="Why it was closed, if given.")
