"""Wish records: SQLModel tables and the API's input/output models."""

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Index, Text
from sqlmodel import Field

from contracts import WishRecord
from innoportal.db import UTCDateTime
from innoportal.fields import OptionalNote
from innoportal.records import (
    CONTACT_DESCRIPTION,
    AcceptedPartyColumns,
    RecordColumns,
    RecordInput,
    RecordPublic,
    TermColumns,
)


def new_wish_id() -> str:
    """A fresh wish id."""
    return "w-" + uuid.uuid4().hex[:24]


class WishCreate(RecordInput):
    """POST /v1/wishes body."""

    budget_hkd: int | None = PydanticField(None, ge=0, le=100_000_000_000)
    closes_on: date | None = None
    venue_note: OptionalNote = None


class WishClose(BaseModel):
    """POST /v1/wishes/{id}/close body (optional)."""

    reason: OptionalNote = None


class Wish(RecordColumns, table=True):
    """A stored wish."""

    __tablename__ = "wishes"
    __table_args__ = (Index("ix_wishes_status_created", "status", "created_at"),)

    id: str = Field(default_factory=new_wish_id, primary_key=True, max_length=40)
    # Budgets reach HK$100 billion: wider than PostgreSQL's 32-bit INTEGER.
    budget_hkd: int | None = Field(default=None, sa_type=BigInteger)
    closes_on: date | None = None
    venue_note: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="open", max_length=10)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    close_reason: str | None = Field(default=None, sa_type=Text)

    def to_record(self) -> WishRecord:
        """The wish as it goes on the wire (a contract, not this table)."""
        return WishRecord(
            id=self.id, **self.common_fields(), budget_hkd=self.budget_hkd,
            closes_on=self.closes_on, venue_note=self.venue_note, status=self.status,
        )


class WishTerm(TermColumns, table=True):
    """One search term of a wish, with its weight."""

    __tablename__ = "wish_terms"

    record_id: str = Field(foreign_key="wishes.id", primary_key=True, max_length=40)


class WishAcceptedParty(AcceptedPartyColumns, table=True):
    """A provider whose solution EMSD accepted with a wish (from MatchDecided): sees its contact."""

    __tablename__ = "wish_accepted_parties"


class WishPublic(RecordPublic):
    """A wish as the API shows it to anyone (no contact email)."""

    budget_hkd: int | None
    closes_on: date | None
    venue_note: str | None
    status: Literal["open", "closed"]
    closed_at: datetime | None = None
    close_reason: str | None = None

    @classmethod
    def of(cls, wish: Wish) -> "WishPublic":
        """The view of a stored wish (with the contact if `cls` has the field)."""
        return cls(**wish.to_record().model_dump(), closed_at=wish.closed_at,
                   close_reason=wish.close_reason)

    @staticmethod
    def view(wish: Wish, with_contact: bool) -> "WishPublic":
        """The wish as one caller may see it: with its contact email or without the key."""
        return (WishWithContact if with_contact else WishPublic).of(wish)


class WishWithContact(WishPublic):
    """A wish as its owner, EMSD, or the other party of an accepted match sees it."""

    contact_email: str = PydanticField(description=CONTACT_DESCRIPTION)


# Either shape, per caller; the contact is absent (not null) for the public.
WishView = WishWithContact | WishPublic


class WishPage(BaseModel):
    """A page of wishes."""

    items: list[WishView]
    total: int
    limit: int
    offset: int


WISHES_TABLES = [Wish.__table__, WishTerm.__table__, WishAcceptedParty.__table__]
