"""The bilingual record shape wishes and solutions share: input, columns, public view, search terms,
and who, besides the public, sees a record's contact (the other parties of its accepted matches).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Text
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import utcnow
from innoportal.db import UTCDateTime
from innoportal.fields import (
    Categories,
    Email,
    OptionalDescription,
    OptionalTitle,
    language_errors,
)
from innoportal.privacy import Viewer, may_see_contact

TEXT_FIELDS = ("title_en", "title_zh", "description_en", "description_zh")


class RecordInput(BaseModel):
    """The texts, categories and contact of a posted record; owner_org comes from the token."""

    title_en: OptionalTitle = None
    title_zh: OptionalTitle = None
    description_en: OptionalDescription = None
    description_zh: OptionalDescription = None
    categories: Categories
    contact_email: Email

    def field_errors(self) -> list[tuple[str, str]]:
        """Cross-field errors: at least one language complete."""
        return language_errors(self.title_en, self.description_en, self.title_zh,
                               self.description_zh)


class RecordColumns(SQLModel):
    """Columns every bilingual record table has."""

    title_en: str | None = Field(default=None, max_length=200)
    title_zh: str | None = Field(default=None, max_length=200)
    description_en: str | None = Field(default=None, sa_type=Text)
    description_zh: str | None = Field(default=None, sa_type=Text)
    contact_email: str = Field(max_length=254)
    # ",a,b," so a category filter is one LIKE on every backend.
    categories_csv: str = Field(max_length=400)
    owner_org: str = Field(max_length=100, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)

    @property
    def categories(self) -> list[str]:
        """The category ids."""
        return [c for c in self.categories_csv.split(",") if c]

    def common_fields(self) -> dict[str, Any]:
        """The shared fields, as contracts and public views want them."""
        return {
            **{name: getattr(self, name) for name in TEXT_FIELDS},
            "categories": self.categories,
            "contact_email": self.contact_email,
            "owner_org": self.owner_org,
            "created_at": self.created_at,
        }

    def search_fields(self) -> list[tuple[str | None, float]]:
        """Texts to index, with weights: a title word counts three times a description word."""
        return [(self.title_en, 3.0), (self.title_zh, 3.0),
                (self.description_en, 1.0), (self.description_zh, 1.0)]


class TermColumns(SQLModel):
    """Columns of a search-term table (the record_id column is declared per table)."""

    term: str = Field(primary_key=True, max_length=64, index=True)
    weight: float = 1.0


class RecordPublic(BaseModel):
    """What every public view of a bilingual record shows: never its contact email (personal data).

    Each service adds a subclass with `contact_email` for the callers who may see it
    (innoportal.privacy.may_see_contact).
    """

    id: str
    title_en: str | None
    title_zh: str | None
    description_en: str | None
    description_zh: str | None
    categories: list[str]
    owner_org: str
    created_at: datetime


CONTACT_DESCRIPTION = ("Contact address: shown only to the owner's organisation, EMSD, and the "
                       "other party of an accepted match.")


class AcceptedPartyColumns(SQLModel):
    """Columns of a table of the other party of each accepted match of this service's records.

    Filled from MatchDecided: for a wish, the provider whose solution was accepted with it; for a
    solution, the department whose wish it was accepted with. They may see the record's contact.
    """

    record_id: str = Field(primary_key=True, max_length=40)
    match_id: str = Field(primary_key=True, max_length=40)
    org: str = Field(max_length=100)
    accepted_at: datetime = Field(sa_type=UTCDateTime)


async def apply_match_decision(
    session: AsyncSession, model: type[AcceptedPartyColumns], *, record_id: str, match_id: str,
    other_org: str, decision: str, decided_at: datetime,
) -> None:
    """Remember the other party of an accepted match of `record_id`; a rejection forgets it."""
    key = {"record_id": record_id, "match_id": match_id}
    row = await session.get(model, key)
    if decision == "accepted":
        if row is None:
            session.add(model(**key, org=other_org, accepted_at=decided_at))
    elif row is not None:
        await session.delete(row)


async def accepted_orgs(
    session: AsyncSession, model: type[AcceptedPartyColumns], record_ids: Sequence[str]
) -> dict[str, set[str]]:
    """The other parties of accepted matches, by record id, of the records `record_ids`."""
    found: dict[str, set[str]] = {}
    if not record_ids:
        return found
    rows = await session.exec(
        select(model.record_id, model.org).where(col(model.record_id).in_(list(record_ids)))
    )
    for record_id, org in rows.all():
        found.setdefault(record_id, set()).add(org)
    return found


async def contacts_shown(
    session: AsyncSession, model: type[AcceptedPartyColumns], records: Sequence[Any],
    viewer: Viewer | None,
) -> set[str]:
    """The ids of `records` (with id and owner_org) whose contact `viewer` may see."""
    if viewer is None:
        return set()  # anonymous: no contact, and no query
    shown = {r.id for r in records if may_see_contact(viewer, r.owner_org)}
    # Only the rest may depend on accepted matches: EMSD, or an owner's own page, needs no query.
    rest = [r for r in records if r.id not in shown]
    accepted = await accepted_orgs(session, model, [r.id for r in rest])
    return shown | {r.id for r in rest
                    if may_see_contact(viewer, r.owner_org, accepted.get(r.id, ()))}
