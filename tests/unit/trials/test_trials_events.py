"""Domain facts become contract events that parse back on their subjects."""

from datetime import timedelta

from trials_builders import EMSD, T0, completed_with_report, planned_trial, running_trial

from contracts import Subjects, parse_event
from services.trials import events


def test_trial_completed_carries_verdict_results_and_report():
    trial, _, doc = completed_with_report()
    event = events.trial_completed(trial, doc, f"http://127.0.0.1:8105/v1/trials/{trial.id}/report")
    parsed = parse_event(Subjects.TRIAL_COMPLETED, event.model_dump_json())
    assert parsed == event
    assert (parsed.verdict, parsed.report_version, parsed.report_hash) == (
        "partially_passed",
        1,
        doc["content_hash"],
    )
    assert [(k.name, k.measured, k.met, k.count) for k in parsed.kpi_results] == [
        ("Energy saved", 12.75, True, 4),
        ("Fault rate 故障率", None, False, 0),
    ]
    assert parsed.report_url.endswith(f"/v1/trials/{trial.id}/report")
    assert {p.role for p in parsed.parties} == {"wish", "solution"}
    assert parsed.occurred_at.isoformat().startswith("2026-03-31T02:00")


def test_event_ids_are_derived_from_the_fact():
    trial, _, doc = completed_with_report()
    first = events.trial_completed(trial, doc, "u")
    assert events.trial_completed(trial, doc, "u").event_id == first.event_id
    assert events.trial_completed(trial, {**doc, "version": 2}, "u").event_id != first.event_id


def test_started_and_terminated_events():
    running = running_trial()
    started = events.trial_started(running)
    assert (started.trial_id, started.venue_id, started.occurred_at) == (
        running.id,
        "v-emsd-hq",
        T0,
    )
    planned = planned_trial()
    planned.terminate(by=EMSD, at=T0 + timedelta(days=1), reason="Venue flooded")
    ended = parse_event(
        Subjects.TRIAL_TERMINATED, events.trial_terminated(planned).model_dump_json()
    )
    assert (ended.reason, ended.from_state, ended.match_id) == ("Venue flooded", "planned", "m-1")
