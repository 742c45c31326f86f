"""Who may see a record's contact email: the one rule every service asks (innoportal.privacy)."""

import pytest

from innoportal.auth import Principal
from innoportal.privacy import may_see_contact, may_see_match_contact


def who(role: str, org: str) -> Principal:
    return Principal(role=role, org=org, token_id="t")


@pytest.mark.parametrize("viewer, accepted, expected", [
    (None, (), False),                                   # the public
    (None, ("HKUST",), False),                           # the public, whatever was accepted
    (who("department", "ArchSD"), (), True),             # the owner's organisation
    (who("provider", "ArchSD"), (), True),               # the organisation, whatever the role
    (who("emsd", "EMSD"), (), True),                     # EMSD sees every contact
    (who("department", "Highways Department"), (), False),  # another department
    (who("provider", "HKUST"), (), False),               # a provider without an accepted match
    (who("provider", "HKUST"), ("HKUST",), True),        # the other party of an accepted match
    (who("provider", "CUHK"), ("HKUST",), False),        # someone else's accepted match
])
def test_may_see_contact(viewer, accepted, expected):
    assert may_see_contact(viewer, "ArchSD", accepted) is expected


def test_a_department_named_emsd_is_an_owner_not_the_emsd_role():
    assert not may_see_contact(who("department", "EMSD"), "ArchSD")


@pytest.mark.parametrize("viewer, accepted, wish_side, solution_side", [
    (None, False, False, False),
    (None, True, False, False),
    (who("emsd", "EMSD"), False, True, True),
    (who("department", "ArchSD"), False, True, False),   # its own side only while pending
    (who("department", "ArchSD"), True, True, True),     # and the other side once accepted
    (who("provider", "HKUST"), False, False, True),
    (who("provider", "HKUST"), True, True, True),
    (who("provider", "CUHK"), True, False, False),       # not a party
])
def test_may_see_match_contact(viewer, accepted, wish_side, solution_side):
    assert may_see_match_contact(viewer, "ArchSD", "HKUST", accepted=accepted) is wish_side
    assert may_see_match_contact(viewer, "HKUST", "ArchSD", accepted=accepted) is solution_side
