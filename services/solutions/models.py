"""Solution records: SQLModel tables and the API's input/output models."""

import uuid
from typing import Annotated

from pydantic import AfterValidator, BaseModel, HttpUrl
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from contracts import SolutionRecord
from innoportal.fields import ID_PATTERN
from innoportal.records import (
    CONTACT_DESCRIPTION,
    AcceptedPartyColumns,
    RecordColumns,
    RecordInput,
    RecordPublic,
    TermColumns,
)


def new_solution_id() -> str:
    """A fresh solution id."""
    return "s-" + uuid.uuid4().hex[:24]


def _short_url(url: HttpUrl) -> HttpUrl:
    if len(str(url)) > 500:
        raise ValueError("must be at most 500 characters")
    return url


class SolutionCreate(RecordInput):
    """POST /v1/solutions body."""

    trl: int = PydanticField(ge=1, le=9, description="Technology readiness level, 1 to 9")
    website: Annotated[HttpUrl, AfterValidator(_short_url)] | None = None
    wish_id: str | None = PydanticField(None, pattern=ID_PATTERN,
                                        description="The wish this solution answers")


class Solution(RecordColumns, table=True):
    """A stored solution."""

    __tablename__ = "solutions"

    id: str = Field(default_factory=new_solution_id, primary_key=True, max_length=40)
    trl: int = Field(index=True)
    website: str | None = Field(default=None, max_length=500)
    wish_id: str | None = Field(default=None, max_length=40, index=True)

    def to_record(self) -> SolutionRecord:
        """The solution as it goes on the wire (a contract, not this table)."""
        return SolutionRecord(id=self.id, **self.common_fields(), trl=self.trl,
                              website=self.website, wish_id=self.wish_id)


class SolutionTerm(TermColumns, table=True):
    """One search term of a solution, with its weight."""

    __tablename__ = "solution_terms"

    record_id: str = Field(foreign_key="solutions.id", primary_key=True, max_length=40)


class KnownWish(SQLModel, table=True):
    """This service's view of the wishes, from WishPosted and WishClosed, to check wish_id."""

    __tablename__ = "known_wishes"

    id: str = Field(primary_key=True, max_length=40)
    status: str = Field(default="open", max_length=10)


class SolutionAcceptedParty(AcceptedPartyColumns, table=True):
    """A department whose wish EMSD accepted with a solution (from MatchDecided): sees its contact."""

    __tablename__ = "solution_accepted_parties"


class SolutionPublic(RecordPublic):
    """A solution as the API shows it to anyone (no contact email)."""

    trl: int
    website: str | None
    wish_id: str | None

    @classmethod
    def of(cls, solution: Solution) -> "SolutionPublic":
        """The view of a stored solution (with the contact if `cls` has the field)."""
        return cls(**solution.to_record().model_dump())

    @staticmethod
    def view(solution: Solution, with_contact: bool) -> "SolutionPublic":
        """The solution as one caller may see it: with its contact email or without the key."""
        return (SolutionWithContact if with_contact else SolutionPublic).of(solution)


class SolutionWithContact(SolutionPublic):
    """A solution as its owner, EMSD, or the other party of an accepted match sees it."""

    contact_email: str = PydanticField(description=CONTACT_DESCRIPTION)


# Either shape, per caller; the contact is absent (not null) for the public.
SolutionView = SolutionWithContact | SolutionPublic


class SolutionPage(BaseModel):
    """A page of solutions."""

    items: list[SolutionView]
    total: int
    limit: int
    offset: int


SOLUTIONS_TABLES = [Solution.__table__, SolutionTerm.__table__, KnownWish.__table__,
                    SolutionAcceptedParty.__table__]
