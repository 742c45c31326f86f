"""The bilingual record shape wishes and solutions share: input, columns, public view, search terms."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from contracts import utcnow
from innoportal.db import UTCDateTime
from innoportal.fields import (
    Categories,
    Email,
    OptionalDescription,
    OptionalTitle,
    language_errors,
)

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
    """What every public view of a bilingual record shows."""

    id: str
    title_en: str | None
    title_zh: str | None
    description_en: str | None
    description_zh: str | None
    categories: list[str]
    contact_email: str
    owner_org: str
    created_at: datetime
