"""A rejection's free-text reason, in English or Chinese, sorted into one of a fixed set of
kinds."""

import pytest

from services.matcher.domain.decisions import REJECT_REASONS, decision_reason, reason_category


@pytest.mark.parametrize(("reason", "kind"), [
    ("Duplicate of m-3f2a", "duplicate"),
    ("We already have this system in place at the depot", "duplicate"),
    ("與另一配對重複", "duplicate"),
    ("Does not meet the fire safety code", "compliance"),  # safety before relevance
    ("Personal data privacy concerns with the cameras", "compliance"),
    ("不符合消防安全標準", "compliance"),
    ("TRL too low for a live plant room", "not_ready"),
    ("Only a prototype, not proven in the field", "not_ready"),
    ("技術未成熟，未經驗證", "not_ready"),
    ("Too expensive for this year's budget", "cost"),
    ("預算不足", "cost"),
    ("成本太高", "cost"),
    ("The solution does not address lift faults at all", "not_relevant"),
    ("Irrelevant: it is about hoisting, not passenger lifts", "not_relevant"),
    ("与需求不相关", "not_relevant"),  # Simplified Chinese too
    ("方案與我們的需要不相關", "not_relevant"),
    ("The provider asked us to withdraw it", "other"),
    ("Lawn mowing robots are out of scope", "not_relevant"),  # lawn is not law
    ("   ", "other"),
    (None, "other"),
])
def test_each_reason_gets_its_kind(reason, kind):
    assert reason_category(reason) == kind


def test_the_kinds_are_a_fixed_set_and_an_accept_has_none():
    assert REJECT_REASONS == ("duplicate", "compliance", "not_ready", "cost", "not_relevant",
                              "other")
    assert decision_reason("accepted", "too expensive but we will try") == "none"
    assert decision_reason("rejected", "too expensive") == "cost"
    assert {reason_category("x" * n) for n in range(1, 50)} == {"other"}
