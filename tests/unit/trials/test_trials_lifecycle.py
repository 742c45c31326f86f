"""The lifecycle: planned → running → completed, or terminated; every wrong move is refused."""

from datetime import timedelta

import pytest
from trials_builders import (
    DEPARTMENT,
    EMSD,
    OTHER_PROVIDER,
    PROVIDER,
    T0,
    planned_trial,
    running_trial,
)

from innoportal.errors import FieldError
from services.trials.domain import InvalidTransition, NotPermitted, Trial


def completed_trial() -> Trial:
    trial = running_trial()
    trial.complete(by=EMSD, at=T0 + timedelta(days=30), summary="Done.", measurements=[])
    return trial


def terminated_from(state: str) -> Trial:
    trial = planned_trial() if state == "planned" else running_trial()
    trial.terminate(by=EMSD, at=T0 + timedelta(days=1), reason="Vendor withdrew")
    return trial


def test_opening_records_who_and_when(planned):
    assert planned.state == "planned"
    assert planned.id.startswith("t-") and len(planned.id) == 18
    [opened] = planned.transitions
    assert (opened.from_state, opened.to_state, opened.by, opened.at) == (
        None,
        "planned",
        EMSD,
        T0 - timedelta(days=7),
    )


def test_the_whole_lifecycle_is_recorded_in_order(planned):
    planned.start(by=EMSD, at=T0)
    m = planned.check_measurement(
        by=PROVIDER,
        kpi="Energy saved",
        value=13,
        measured_at=T0 + timedelta(days=1),
        now=T0 + timedelta(days=2),
    )
    results = planned.complete(
        by=EMSD, at=T0 + timedelta(days=29), summary="  Worked well.  ", measurements=[m]
    )
    assert planned.state == "completed"
    assert planned.actual_start == T0 and planned.ended_at == T0 + timedelta(days=29)
    assert planned.summary == "Worked well."
    assert [(t.seq, t.from_state, t.to_state) for t in planned.transitions] == [
        (1, None, "planned"),
        (2, "planned", "running"),
        (3, "running", "completed"),
    ]
    assert [t.at for t in planned.transitions] == [
        T0 - timedelta(days=7),
        T0,
        T0 + timedelta(days=29),
    ]
    assert all(t.by == EMSD for t in planned.transitions)
    assert results.verdict == "partially_passed" and planned.results is results


@pytest.mark.parametrize("state", ["planned", "running"])
def test_termination_from_planned_or_running_keeps_the_reason(state):
    trial = terminated_from(state)
    assert trial.state == "terminated"
    assert trial.termination_reason == "Vendor withdrew"
    last = trial.transitions[-1]
    assert (last.from_state, last.to_state, last.note) == (state, "terminated", "Vendor withdrew")


def test_termination_needs_a_reason(running):
    with pytest.raises(FieldError) as err:
        running.terminate(by=EMSD, at=T0, reason="   ")
    assert err.value.fields[0] == "reason"
    assert running.state == "running" and len(running.transitions) == 2


def test_completion_needs_a_summary(running):
    with pytest.raises(FieldError) as err:
        running.complete(by=EMSD, at=T0 + timedelta(days=1), summary=None, measurements=[])
    assert err.value.fields[0] == "summary"
    assert running.state == "running" and running.results is None


def _moves(trial: Trial) -> dict:
    at = T0 + timedelta(days=2)
    return {
        "start": lambda: trial.start(by=EMSD, at=at),
        "complete": lambda: trial.complete(by=EMSD, at=at, summary="s", measurements=[]),
        "terminate": lambda: trial.terminate(by=EMSD, at=at, reason="r"),
        "measure": lambda: trial.check_measurement(
            by=EMSD, kpi="Energy saved", value=1, measured_at=at, now=at
        ),
        "amend": lambda: trial.amend(
            by=EMSD, at=at, reason="r", planned_end=T0 + timedelta(days=40)
        ),
    }


WRONG_MOVES = [
    ("planned", "complete"),
    ("planned", "measure"),
    ("running", "start"),
    ("completed", "start"),
    ("completed", "complete"),
    ("completed", "terminate"),
    ("completed", "measure"),
    ("completed", "amend"),
    ("terminated", "start"),
    ("terminated", "complete"),
    ("terminated", "terminate"),
    ("terminated", "measure"),
    ("terminated", "amend"),
]


@pytest.mark.parametrize(("state", "move"), WRONG_MOVES)
def test_every_wrong_move_is_a_conflict_and_changes_nothing(state, move):
    trial = {
        "planned": planned_trial,
        "running": running_trial,
        "completed": completed_trial,
        "terminated": lambda: terminated_from("running"),
    }[state]()
    before = (trial.state, list(trial.transitions), list(trial.amendments), trial.plan)
    with pytest.raises(InvalidTransition) as err:
        _moves(trial)[move]()
    assert err.value.http_status == 409 and err.value.state == state
    assert trial.id in str(err.value)
    assert (trial.state, trial.transitions, trial.amendments, trial.plan) == before


def test_all_four_states_are_covered_by_the_table_of_wrong_moves():
    allowed = {
        ("planned", "start"),
        ("planned", "terminate"),
        ("planned", "amend"),
        ("running", "complete"),
        ("running", "terminate"),
        ("running", "measure"),
        ("running", "amend"),
    }
    every = {
        (s, m)
        for s in ("planned", "running", "completed", "terminated")
        for m in ("start", "complete", "terminate", "measure", "amend")
    }
    assert set(WRONG_MOVES) == every - allowed


def test_a_trial_whose_planned_window_has_passed_cannot_start(planned):
    with pytest.raises(InvalidTransition) as err:
        planned.start(by=EMSD, at=T0 + timedelta(days=30))
    assert "amend planned_end" in str(err.value)
    planned.amend(
        by=EMSD,
        at=T0 + timedelta(days=30),
        reason="Delivery slipped",
        planned_end=T0 + timedelta(days=60),
    )
    planned.start(by=EMSD, at=T0 + timedelta(days=30))
    assert planned.state == "running"


@pytest.mark.parametrize("who", [PROVIDER, DEPARTMENT, OTHER_PROVIDER])
@pytest.mark.parametrize("move", ["start", "terminate", "amend"])
def test_only_emsd_moves_a_planned_trial(who, move):
    trial = planned_trial()
    at = T0 + timedelta(days=1)
    call = {
        "start": lambda: trial.start(by=who, at=at),
        "terminate": lambda: trial.terminate(by=who, at=at, reason="r"),
        "amend": lambda: trial.amend(
            by=who, at=at, reason="r", planned_end=T0 + timedelta(days=40)
        ),
    }[move]
    with pytest.raises(NotPermitted) as err:
        call()
    assert err.value.http_status == 403 and who.org in str(err.value)
    assert trial.state == "planned" and len(trial.transitions) == 1


@pytest.mark.parametrize("who", [PROVIDER, DEPARTMENT])
def test_only_emsd_opens_and_completes(who, running):
    from trials_builders import match, plan

    with pytest.raises(NotPermitted):
        Trial.open(match=match(), plan=plan(), by=who, at=T0)
    with pytest.raises(NotPermitted):
        running.complete(by=who, at=T0 + timedelta(days=1), summary="s", measurements=[])
    assert running.state == "running"


def test_permission_is_checked_before_state(running):
    running.terminate(by=EMSD, at=T0 + timedelta(days=1), reason="r")
    with pytest.raises(NotPermitted):
        running.start(by=PROVIDER, at=T0 + timedelta(days=2))
