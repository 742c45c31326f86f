"""Who may see a record's contact email: it is personal data, so public reads never show it.

Plain Python, free of any framework: the services decide with it, whatever their storage.
"""

from collections.abc import Collection
from typing import Protocol


class Viewer(Protocol):
    """The caller of a read, as a token names it (innoportal.auth.Principal is one)."""

    @property
    def role(self) -> str: ...

    @property
    def org(self) -> str: ...


def may_see_contact(
    viewer: Viewer | None, owner_org: str, accepted_orgs: Collection[str] = ()
) -> bool:
    """Whether `viewer` may see the contact of a record owned by `owner_org`.

    `accepted_orgs` are the organisations on the other side of an accepted match of the record
    (for a wish, the providers whose solution was accepted with it; for a solution, the
    departments whose wish it was accepted with). Anonymous callers see no contact; EMSD, the
    owner and those other parties do.
    """
    if viewer is None:
        return False
    return viewer.role == "emsd" or viewer.org == owner_org or viewer.org in accepted_orgs


def may_see_match_contact(
    viewer: Viewer | None, side_org: str, other_org: str, *, accepted: bool
) -> bool:
    """Whether `viewer` may see one side's contact in a match of `side_org` with `other_org`.

    EMSD sees both sides; a party always sees its own side, and the other side once the match
    is accepted.
    """
    return may_see_contact(viewer, side_org, (other_org,) if accepted else ())
