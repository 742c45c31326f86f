"""The trials service's use cases on a real database: lifecycle, bookings, reports, races."""

import asyncio
import contextlib
import json

import pytest
from sqlmodel import col, select

from contracts import Subjects
from innoportal.outbox import OutboxMessage
from innoportal.uow import unit_of_work
from innoportal.errors import FieldError
from services.trials import service
from services.trials.domain import (
    Actor,
    BookingConflict,
    ConcurrentUpdate,
    InvalidTransition,
    MatchNotAccepted,
    NotFound,
)
from services.trials.models import ReportRow
from services.trials.report import verify
from services.trials.repository import TrialsRepository

from .conftest import DAY, EMSD, PROVIDER, T0, accept, open_trial


async def outbox(db, subject):
    async with db.session() as s:
        rows = (
            await s.exec(select(OutboxMessage).where(col(OutboxMessage.subject) == subject))
        ).all()
    return [json.loads(r.payload) for r in rows]


async def test_the_whole_lifecycle_is_stored_published_and_reported(db):
    trial = await open_trial(db, "m-1")
    async with unit_of_work(db) as uow:
        await service.start_trial(uow, trial.id, by=EMSD, now=T0)
    for day, (energy, fault) in enumerate([(11, 2.5), (13, 2), (14, 1)], start=1):
        async with unit_of_work(db) as uow:
            await service.record_measurement(
                uow,
                trial.id,
                by=PROVIDER,
                kpi="Energy saved",
                value=energy,
                measured_at=T0 + day * DAY,
                now=T0 + 10 * DAY,
            )
            await service.record_measurement(
                uow,
                trial.id,
                by=EMSD,
                kpi="fault rate 故障率",
                value=fault,
                measured_at=T0 + day * DAY,
                now=T0 + 10 * DAY,
            )
    async with unit_of_work(db) as uow:
        await service.amend_trial(
            uow,
            trial.id,
            by=EMSD,
            reason="Rainy season",
            now=T0 + 5 * DAY,
            changes={"planned_end": T0 + 40 * DAY},
        )
    async with unit_of_work(db) as uow:
        done, report = await service.complete_trial(
            uow,
            trial.id,
            by=EMSD,
            summary="Met both targets.",
            now=T0 + 29 * DAY,
            report_url="http://x/{trial_id}/v{version}",
        )
    assert done.trial.results.verdict == "passed"

    async with db.session() as s:
        repo = TrialsRepository(s)
        stored = await repo.get_trial(trial.id)
        assert (
            stored.state == "completed" and stored.version == 4
        )  # opened, started, amended, completed
        assert [(t.from_state, t.to_state, t.by.org) for t in stored.transitions] == [
            (None, "planned", "EMSD"),
            ("planned", "running", "EMSD"),
            ("running", "completed", "EMSD"),
        ]
        assert stored.amendments[0].reason == "Rainy season"
        assert stored.amendments[0].changes[0].after == "2026-04-11T01:00:00Z"
        assert (
            stored.plan.planned_end == T0 + 40 * DAY
            and stored.plan.planned_start.tzinfo is not None
        )
        assert [(o.kpi.name, o.measured, o.met) for o in stored.results.outcomes] == [
            ("Energy saved", pytest.approx(38 / 3), True),
            ("Fault rate 故障率", pytest.approx(5.5 / 3), True),
        ]
        assert stored.results == done.trial.results
        assert [m.value for m in await repo.measurements(trial.id, kpi="Energy saved")] == [
            11,
            13,
            14,
        ]
        published = await repo.get_report(trial.id)
    assert published.version == 1 and verify(published.content)
    assert published.content_hash == report.content_hash == published.content["content_hash"]
    assert "<svg" in published.html and published.pdf.startswith(b"%PDF-")

    [started] = await outbox(db, Subjects.TRIAL_STARTED)
    assert started["trial_id"] == trial.id
    [completed] = await outbox(db, Subjects.TRIAL_COMPLETED)
    assert completed["verdict"] == "passed" and completed["report_url"] == f"http://x/{trial.id}/v1"
    assert completed["report_hash"] == report.content_hash
    assert [k["count"] for k in completed["kpi_results"]] == [3, 3]


async def test_a_trial_needs_an_accepted_match(db):
    with pytest.raises(MatchNotAccepted):
        await open_trial(db, "m-unknown", accept_first=False)
    await accept(db, "m-rejected", "rejected")
    with pytest.raises(MatchNotAccepted) as err:
        await open_trial(db, "m-rejected", accept_first=False)
    assert "rejected" in str(err.value)
    await accept(db, "m-2")
    await accept(db, "m-2", "rejected", at=T0 - 40 * DAY)  # an older, late event changes nothing
    trial = await open_trial(db, "m-2", accept_first=False)
    with pytest.raises(service.Conflict) as err:
        await open_trial(db, "m-2", start=T0 + 60 * DAY, end=T0 + 70 * DAY, accept_first=False)
    assert trial.id in str(err.value)


async def test_unknown_venue_and_bad_plan_are_field_errors(db):
    await accept(db, "m-1")
    with pytest.raises(FieldError) as err:
        await open_trial(db, "m-1", venue_id="v-nowhere", accept_first=False)
    assert err.value.fields[0] == "venue_id"
    with pytest.raises(FieldError) as err:
        await open_trial(db, "m-1", end=T0, accept_first=False)
    assert err.value.fields[0] == "planned_end"


async def test_overlapping_bookings_of_a_venue_conflict_naming_the_trial(db):
    first = await open_trial(db, "m-1", T0, T0 + 30 * DAY)
    with pytest.raises(BookingConflict) as err:
        await open_trial(db, "m-2", T0 + 29 * DAY, T0 + 40 * DAY)
    assert err.value.conflicting_trial_id == first.id and first.id in str(err.value)
    await open_trial(db, "m-3", T0 + 30 * DAY, T0 + 40 * DAY)  # touching ends do not overlap
    async with unit_of_work(db) as uow:
        await service.terminate_trial(
            uow, first.id, by=EMSD, reason="Vendor withdrew", now=T0 - DAY
        )
    await open_trial(db, "m-4", T0, T0 + 30 * DAY)  # a terminated trial frees its window
    [ended] = await outbox(db, Subjects.TRIAL_TERMINATED)
    assert (ended["trial_id"], ended["reason"], ended["from_state"]) == (
        first.id,
        "Vendor withdrew",
        "planned",
    )


async def test_a_concurrent_venue_hosts_overlapping_trials(db):
    async with unit_of_work(db) as uow:
        hall = await service.create_venue(
            uow,
            by=EMSD,
            data={
                "name_en": "InnoZone",
                "name_zh": "機電創科專區",
                "address": "3 Kai Shing Street",
                "owner_department": "EMSD",
                "concurrent": True,
            },
        )
    await open_trial(db, "m-1", venue_id=hall.id)
    await open_trial(db, "m-2", venue_id=hall.id)
    async with db.session() as s:
        assert len(await TrialsRepository(s).venue_calendar(hall.id)) == 2
        assert next(v.id for v in await TrialsRepository(s).list_venues()) == "v-emsd-hq"


async def test_an_amendment_into_a_booked_window_conflicts_and_changes_nothing(db):
    first = await open_trial(db, "m-1", T0, T0 + 10 * DAY)
    second = await open_trial(db, "m-2", T0 + 20 * DAY, T0 + 30 * DAY)
    with pytest.raises(BookingConflict) as err:
        async with unit_of_work(db) as uow:
            await service.amend_trial(
                uow,
                first.id,
                by=EMSD,
                reason="longer",
                now=T0 - DAY,
                changes={"planned_end": T0 + 21 * DAY},
            )
    assert err.value.conflicting_trial_id == second.id
    async with db.session() as s:
        assert (await TrialsRepository(s).get_trial(first.id)).amendments == []
    with pytest.raises(FieldError):
        async with unit_of_work(db) as uow:
            await service.amend_trial(
                uow, first.id, by=EMSD, reason="r", now=T0, changes={"state": "running"}
            )


async def test_two_simultaneous_bookings_of_one_window_admit_exactly_one(db, monkeypatch):
    await accept(db, "m-a")
    await accept(db, "m-b")
    # Hold each booking between its overlap check and its insert until the other has checked
    # too (or half a second passed, which is what happens while the venue lock makes it wait):
    # without the lock both would see a free venue and both would book. (On SQLite the kernel
    # also queues a process's transactions; the PostgreSQL run is the one that shows the lock.)
    checked, both_checked = [], asyncio.Event()
    original = TrialsRepository.active_bookings

    async def check_then_wait(self, *args, **kwargs):
        found = await original(self, *args, **kwargs)
        checked.append(found)
        if len(checked) == 2:
            both_checked.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(both_checked.wait(), 0.5)
        return found

    monkeypatch.setattr(TrialsRepository, "active_bookings", check_then_wait)

    async def book(match_id):
        try:
            return await open_trial(db, match_id, accept_first=False)
        except BookingConflict as exc:
            return exc

    outcomes = await asyncio.gather(book("m-a"), book("m-b"))
    conflicts = [o for o in outcomes if isinstance(o, BookingConflict)]
    booked = [o for o in outcomes if not isinstance(o, BookingConflict)]
    assert len(conflicts) == 1 and len(booked) == 1
    assert conflicts[0].conflicting_trial_id == booked[0].id
    assert (
        checked[0] == [] and [b.trial_id for b in checked[1]] == [booked[0].id]
    )  # the second check ran after the commit


# PostgreSQL only: these interleave two open sessions by hand, which needs two connections. On
# SQLite the kernel gives a database ONE connection (innoportal.sqlite_inline), so the second
# session would wait for the first forever; there, writers are serialized by that connection,
# and the tests after these run the same races as concurrent tasks on both backends.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.postgres
async def test_two_moves_from_the_same_state_cannot_both_win(db):
    trial = await open_trial(db, "m-1")
    async with db.session() as a, db.session() as b:
        mine, theirs = (
            await TrialsRepository(a).get_trial(trial.id),
            await TrialsRepository(b).get_trial(trial.id),
        )
        mine.start(by=EMSD, at=T0)
        theirs.terminate(by=EMSD, at=T0, reason="cancelled")
        await TrialsRepository(a).save_trial(mine)
        await a.commit()
        with pytest.raises(ConcurrentUpdate):
            await TrialsRepository(b).save_trial(theirs)
        await b.rollback()
    async with db.session() as s:
        assert (await TrialsRepository(s).get_trial(trial.id)).state == "running"


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.postgres
async def test_a_measurement_arriving_during_completion_is_never_lost(db):
    trial = await open_trial(db, "m-1")
    async with unit_of_work(db) as uow:
        await service.start_trial(uow, trial.id, by=EMSD, now=T0)
    async with db.session() as a:
        repo = TrialsRepository(a)
        completing = await repo.get_trial(trial.id)
        seen = await repo.measurements(trial.id)
        async with unit_of_work(db) as b:  # a reading lands meanwhile
            await service.record_measurement(
                b,
                trial.id,
                by=PROVIDER,
                kpi="Energy saved",
                value=20,
                measured_at=T0 + DAY,
                now=T0 + 2 * DAY,
            )
        completing.complete(by=EMSD, at=T0 + 3 * DAY, summary="s", measurements=seen)
        with pytest.raises(ConcurrentUpdate):
            await repo.save_trial(completing, measurement_count=len(seen))
        await a.rollback()
    async with unit_of_work(db) as uow:  # retried, it counts the reading
        done, _ = await service.complete_trial(
            uow, trial.id, by=EMSD, summary="s", now=T0 + 3 * DAY, with_pdf=False
        )
    assert done.trial.results.outcomes[0].count == 1


async def test_concurrent_moves_of_one_trial_have_exactly_one_winner(db):
    # Each move is its own task with its own transaction, as two HTTP requests would be: on
    # SQLite they queue for the one connection, on PostgreSQL the version check decides.
    # Every pair below excludes each other: whichever runs second must find it too late.
    async def move(kind, trial_id):
        try:
            async with unit_of_work(db) as uow:
                if kind == "start":
                    await service.start_trial(uow, trial_id, by=EMSD, now=T0)
                elif kind == "complete":
                    await service.complete_trial(
                        uow, trial_id, by=EMSD, summary="s", now=T0 + DAY, with_pdf=False
                    )
                else:
                    await service.terminate_trial(uow, trial_id, by=EMSD, reason=kind, now=T0)
            return kind
        except (ConcurrentUpdate, InvalidTransition) as exc:
            return exc

    pairs = [("start", "start"), ("stop-a", "stop-b"), ("complete", "stop-c")]
    for i, pair in enumerate(pairs):
        trial = await open_trial(db, f"m-{i}", T0 + 40 * i * DAY, T0 + 40 * i * DAY + 2 * DAY)
        if "complete" in pair:
            async with unit_of_work(db) as uow:
                await service.start_trial(uow, trial.id, by=EMSD, now=T0)
        outcomes = await asyncio.gather(*(move(kind, trial.id) for kind in pair))
        [winner] = [o for o in outcomes if isinstance(o, str)]
        async with db.session() as s:
            stored = await TrialsRepository(s).get_trial(trial.id)
        expected = {"start": "running", "complete": "completed"}.get(winner, "terminated")
        assert stored.state == expected
        assert stored.transitions[-1].to_state == expected
        assert len(stored.transitions) == (3 if "complete" in pair else 2)
        if expected == "terminated":
            assert stored.termination_reason == winner
    assert len(await outbox(db, Subjects.TRIAL_STARTED)) == 2
    ended = await outbox(db, Subjects.TRIAL_TERMINATED) + await outbox(db, Subjects.TRIAL_COMPLETED)
    assert len(ended) == 2


async def test_concurrent_readings_and_completion_never_lose_a_reading(db):
    trial = await open_trial(db, "m-1")
    async with unit_of_work(db) as uow:
        await service.start_trial(uow, trial.id, by=EMSD, now=T0)

    async def reading(i):
        try:
            async with unit_of_work(db) as uow:
                await service.record_measurement(
                    uow, trial.id, by=PROVIDER, kpi="Energy saved", value=10 + i,
                    measured_at=T0 + DAY, now=T0 + 2 * DAY,
                )
            return True
        except InvalidTransition:  # arrived after completion: refused, never silently dropped
            return False

    async def completion():
        while True:
            try:
                async with unit_of_work(db) as uow:
                    done, _ = await service.complete_trial(
                        uow, trial.id, by=EMSD, summary="s", now=T0 + 3 * DAY, with_pdf=False
                    )
                return done
            except ConcurrentUpdate:
                continue

    *accepted, done = await asyncio.gather(*(reading(i) for i in range(6)), completion())
    async with db.session() as s:
        stored = await TrialsRepository(s).measurements(trial.id)
    assert len(stored) == sum(accepted)
    assert done.trial.results.outcomes[0].count == len(stored)


async def test_measurements_are_refused_once_the_trial_has_ended(db):
    trial = await open_trial(db, "m-1")
    async with unit_of_work(db) as uow:
        await service.start_trial(uow, trial.id, by=EMSD, now=T0)
    async with db.transaction() as s:
        stale = await TrialsRepository(s).get_trial(trial.id)
    async with unit_of_work(db) as uow:
        await service.terminate_trial(uow, trial.id, by=EMSD, reason="Sensor theft", now=T0 + DAY)
    m = stale.check_measurement(
        by=PROVIDER, kpi="Energy saved", value=1, measured_at=T0, now=T0 + DAY
    )
    with pytest.raises(InvalidTransition):
        async with db.transaction() as s:
            await TrialsRepository(s).add_measurement(trial.id, m)
    with pytest.raises(InvalidTransition):
        async with unit_of_work(db) as uow:
            await service.record_measurement(
                uow, trial.id, by=EMSD, kpi="Energy saved", value=1, measured_at=T0, now=T0 + DAY
            )
    with pytest.raises(NotFound):
        async with unit_of_work(db) as uow:
            await service.record_measurement(
                uow, "t-missing", by=EMSD, kpi="Energy saved", value=1, measured_at=T0, now=T0 + DAY
            )


async def test_reports_are_immutable_and_corrected_by_new_versions(db):
    trial = await open_trial(db, "m-1")
    async with unit_of_work(db) as uow:
        await service.start_trial(uow, trial.id, by=EMSD, now=T0)
    async with unit_of_work(db) as uow:
        _, v1 = await service.complete_trial(
            uow, trial.id, by=EMSD, summary="First.", now=T0 + DAY, with_pdf=False
        )
    with pytest.raises(RuntimeError):
        async with db.transaction() as s:
            row = (await s.exec(select(ReportRow))).one()
            row.html = "<p>rewritten</p>"
            s.add(row)
    async with unit_of_work(db) as uow:
        v2 = await service.correct_trial_report(
            uow,
            trial.id,
            by=EMSD,
            reason="Wrong wording",
            summary="Second.",
            now=T0 + 2 * DAY,
            with_pdf=False,
        )
    assert (v2.version, v2.content["supersedes"]) == (2, 1) and v2.content_hash != v1.content_hash
    async with db.session() as s:
        repo = TrialsRepository(s)
        assert (await repo.get_report(trial.id)).content["summary"] == "Second."
        old = await repo.get_report(trial.id, 1)
        assert old.content_hash == v1.content_hash and old.html == v1.html and verify(old.content)
        latest = await repo.list_reports()
        assert [(r["trial_id"], r["version"]) for r in latest] == [(trial.id, 2)]
        assert latest[0]["solution"]["title_zh"] == "人工智能升降機監測"
        assert [r["version"] for r in await repo.list_reports(latest_only=False)] == [2, 1]
        with pytest.raises(NotFound):
            await repo.get_report(trial.id, 3)
    versions = [e["report_version"] for e in await outbox(db, Subjects.TRIAL_COMPLETED)]
    assert versions == [1, 2]


async def test_venues_need_emsd_and_valid_fields(db):
    with pytest.raises(service.NotPermitted):
        async with unit_of_work(db) as uow:
            await service.create_venue(uow, by=Actor("ArchSD", "department"), data={})
    with pytest.raises(FieldError) as err:
        async with unit_of_work(db) as uow:
            await service.create_venue(uow, by=EMSD, data={"name_en": "X"})
    assert set(err.value.fields) == {"name_zh", "address", "owner_department"}
