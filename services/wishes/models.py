"""Wish records: SQLModel tables and the API's input/output models."""

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from contracts import WishRecord, utcnow
from innoportal.db import UTCDateTime
from innoportal.fields import Categories, Description, Email, Note, Title


def new_wish_id() -> str:
    """A fresh wish id."""
    return "w-" + uuid.uuid4().hex[:24]


class WishBase(SQLModel):
    """Fields a department writes."""

    title_en: str | None = None
    title_zh: str | None = None
    description_en: str | None = None
    description_zh: str | None = None
    contact_email: str
    budget_hkd: int | None = None
    closes_on: date | None = None
    venue_note: str | None = None


class WishCreate(BaseModel):
    """POST /v1/wishes body; owner_org comes from the token, never from here."""

    title_en: Title | None = None
    title_zh: Title | None = None
    description_en: Description | None = None
    description_zh: Description | None = None
    categories: Categories
    contact_email: Email
    budget_hkd: int | None = Field(None, ge=0, le=100_000_000_000)
    closes_on: date | None = None
    venue_note: Note | None = None


class WishClose(BaseModel):
    """POST /v1/wishes/{id}/close body (optional)."""

    reason: Note | None = None


class Wish(WishBase, table=True):
    """A stored wish."""

    __tablename__ = "wishes"
    __table_args__ = (Index("ix_wishes_status_created", "status", "created_at"),)

    id: str = Field(default_factory=new_wish_id, primary_key=True, max_length=40)
    description_en: str | None = Field(default=None, sa_column=Column(Text))
    description_zh: str | None = Field(default=None, sa_column=Column(Text))
    # ",a,b," so a category filter is one LIKE on every backend.
    categories_csv: str = Field(max_length=400)
    owner_org: str = Field(max_length=100, index=True)
    status: str = Field(default="open", max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    close_reason: str | None = Field(default=None, sa_column=Column(Text))

    @property
    def categories(self) -> list[str]:
        """The category ids."""
        return [c for c in self.categories_csv.split(",") if c]

    def to_record(self) -> WishRecord:
        """The wish as it goes on the wire (a contract, not this table)."""
        return WishRecord(
            id=self.id,
            title_en=self.title_en,
            title_zh=self.title_zh,
            description_en=self.description_en,
            description_zh=self.description_zh,
            categories=self.categories,
            contact_email=self.contact_email,
            owner_org=self.owner_org,
            budget_hkd=self.budget_hkd,
            closes_on=self.closes_on,
            venue_note=self.venue_note,
            status=self.status,
            created_at=self.created_at,
        )


class WishTerm(SQLModel, table=True):
    """One search term of a wish, with its weight."""

    __tablename__ = "wish_terms"

    record_id: str = Field(foreign_key="wishes.id", primary_key=True, max_length=40)
    term: str = Field(primary_key=True, max_length=64, index=True)
    weight: float = 1.0


class WishPublic(BaseModel):
    """A wish as the API shows it."""

    id: str
    title_en: str | None
    title_zh: str | None
    description_en: str | None
    description_zh: str | None
    categories: list[str]
    contact_email: str
    owner_org: str
    budget_hkd: int | None
    closes_on: date | None
    venue_note: str | None
    status: Literal["open", "closed"]
    created_at: datetime
    closed_at: datetime | None = None
    close_reason: str | None = None

    @classmethod
    def of(cls, wish: Wish) -> "WishPublic":
        """The public view of a stored wish."""
        return cls(**wish.to_record().model_dump(), closed_at=wish.closed_at,
                   close_reason=wish.close_reason)


class WishPage(BaseModel):
    """A page of wishes."""

    items: list[WishPublic]
    total: int
    limit: int
    offset: int


WISHES_TABLES = [Wish.__table__, WishTerm.__table__]
