"""The plan changes only by recorded amendments: who, when, what and why."""

from datetime import timedelta

import pytest
from trials_builders import EMSD, T0, kpis

from innoportal.errors import FieldError
from services.trials.domain import InvalidTransition

LATER = T0 + timedelta(days=5)


def test_before_the_start_dates_and_venue_may_change(planned):
    a = planned.amend(
        by=EMSD,
        at=T0 - timedelta(days=1),
        reason="Room refurbished",
        venue_id="v-other",
        planned_start=T0 + timedelta(days=1),
        planned_end=T0 + timedelta(days=31),
    )
    assert planned.plan.venue_id == "v-other" and planned.plan.planned_start == T0 + timedelta(
        days=1
    )
    assert (a.seq, a.by, a.at, a.reason) == (1, EMSD, T0 - timedelta(days=1), "Room refurbished")
    assert [(c.field, c.before, c.after) for c in a.changes] == [
        ("venue_id", "v-emsd-hq", "v-other"),
        ("planned_start", "2026-03-02T01:00:00Z", "2026-03-03T01:00:00Z"),
        ("planned_end", "2026-04-01T01:00:00Z", "2026-04-02T01:00:00Z"),
    ]
    assert a.changed("venue_id") and not a.changed("kpis")


def test_while_running_the_end_may_move_and_is_recorded(running):
    a = running.amend(by=EMSD, at=LATER, reason="Rainy season", planned_end=T0 + timedelta(days=45))
    assert running.plan.planned_end == T0 + timedelta(days=45)
    assert running.amendments == [a] and a.changes[0].field == "planned_end"


@pytest.mark.parametrize("field", ["planned_start", "venue_id"])
def test_while_running_start_and_venue_are_fixed(running, field):
    value = {"planned_start": T0 + timedelta(days=1), "venue_id": "v-other"}[field]
    with pytest.raises(InvalidTransition) as err:
        running.amend(by=EMSD, at=LATER, reason="r", **{field: value})
    assert field in str(err.value) and running.amendments == []


def test_while_running_the_end_cannot_move_into_the_past(running):
    with pytest.raises(FieldError) as err:
        running.amend(by=EMSD, at=LATER, reason="r", planned_end=LATER - timedelta(hours=1))
    assert err.value.fields[0] == "planned_end"


def test_kpis_may_be_added_or_retargeted_while_running_each_change_named(running):
    items = kpis()
    items[0] = {**items[0], "target": 10}
    items.append(
        {
            "name": "User satisfaction",
            "unit": "score",
            "baseline": 3,
            "target": 4,
            "direction": "increase",
        }
    )
    a = running.amend(by=EMSD, at=LATER, reason="Target agreed with ASD", kpis=items)
    assert [c.field for c in a.changes] == ["kpis[Energy saved]", "kpis[User satisfaction]"]
    assert a.changes[0].before["target"] == 12 and a.changes[0].after["target"] == 10
    assert a.changes[1].before is None
    assert running.plan.kpi("user satisfaction").target == 4


def test_kpis_cannot_be_dropped_once_running(running):
    with pytest.raises(FieldError) as err:
        running.amend(by=EMSD, at=LATER, reason="r", kpis=kpis()[:1])
    assert "Fault rate" in str(err.value) and len(running.plan.kpis) == 2


def test_a_kpi_may_be_dropped_before_the_start(planned):
    a = planned.amend(by=EMSD, at=T0 - timedelta(days=1), reason="Not measurable", kpis=kpis()[:1])
    assert a.changes[0].after is None and len(planned.plan.kpis) == 1


def test_an_amendment_needs_a_reason_and_a_change(running):
    with pytest.raises(FieldError) as err:
        running.amend(by=EMSD, at=LATER, reason="", planned_end=T0 + timedelta(days=40))
    assert err.value.fields[0] == "reason"
    with pytest.raises(FieldError) as err:
        running.amend(
            by=EMSD, at=LATER, reason="tidy", planned_end=running.plan.planned_end, kpis=kpis()
        )
    assert err.value.fields[0] == "amendment"
    assert running.amendments == []


def test_bad_values_leave_the_plan_untouched(running):
    before = running.plan
    with pytest.raises(FieldError):
        running.amend(by=EMSD, at=LATER, reason="r", planned_end="soon", kpis=[{"name": "x"}])
    assert running.plan == before


def test_amendments_are_numbered(running):
    running.amend(by=EMSD, at=LATER, reason="one", planned_end=T0 + timedelta(days=40))
    running.amend(by=EMSD, at=LATER, reason="two", planned_end=T0 + timedelta(days=41))
    assert [(a.seq, a.reason) for a in running.amendments] == [(1, "one"), (2, "two")]
