"""Recipients through the index, atomic fan-out, contacts of matches and trials (both backends)."""

from datetime import timedelta

import pytest
from notifier_helpers import SECRET, T0, post, wish

from contracts import (
    KpiResult,
    MatchDecided,
    Matched,
    MatchParty,
    MatchReason,
    TrialCompleted,
    TrialParty,
)
from innoportal.errors import FieldError
from innoportal.uow import unit_of_work
from services.notifier import repository
from services.notifier.domain import Item, issue_token, validate_subscription
from services.notifier.models import FanoutJob
from services.notifier.repository import email_outbox
from services.notifier.service import alerts, parties, subscriptions
from services.notifier.workers.fanout import FanoutWorker


async def confirmed(db, address, **rules):
    async with db.transaction() as s:
        sub = await repository.add_subscription(s, validate_subscription({"email": address, **rules}), now=T0)
        await repository.confirm_subscription(s, sub.id, now=T0)
    return sub.id


async def candidates(db, item):
    async with db.session() as s:
        return [c for batch in [b async for b in repository.stream_candidates(s, item, batch=2)] for c in batch]


async def queued(db, **kw):
    async with db.session() as s:
        return await email_outbox.deliveries(s, **kw)


async def test_index_returns_only_subscriptions_hit_by_a_category_or_keyword(any_db):
    hit_cat = await confirmed(any_db, "a@example.org", categories=["building-services"])
    hit_zh = await confirmed(any_db, "b@example.org", keywords=["升降机"])  # simplified form
    hit_en = await confirmed(any_db, "c@example.org", keywords=["lifts"])
    await confirmed(any_db, "d@example.org", categories=["fintech-govtech"], keywords=["blockchain"])
    async with any_db.transaction() as s:  # pending: never a recipient
        await repository.add_subscription(s, validate_subscription(
            {"email": "e@example.org", "categories": ["building-services"]}), now=T0)
    gone = await confirmed(any_db, "f@example.org", categories=["building-services"])
    async with any_db.transaction() as s:
        await repository.unsubscribe(s, gone, now=T0)
    item = Item.of("wish:w-1", ["building-services"], ["Lift fault prediction", "升降機故障預測"])
    found = {c.subscription_id: c for c in await candidates(any_db, item)}
    assert set(found) == {hit_cat, hit_zh, hit_en}
    assert found[hit_cat].categories == {"building-services"} and found[hit_zh].keywords[0].keyword == "升降机"


async def test_keyword_anchor_found_but_phrase_absent_is_no_alert(any_db):
    await confirmed(any_db, "a@example.org", keywords=["fault lift"])  # words present, not this phrase
    planned = await post(any_db, wish("w-1", categories=["iot-sensors"]))
    assert planned.emails == 0 and await queued(any_db, ref="wish:w-1") == []


async def test_fan_out_is_atomic_and_idempotent(any_db):
    ids = [await confirmed(any_db, f"u{i}@example.org", categories=["building-services"], keywords=["lift"])
           for i in range(7)]
    with pytest.raises(RuntimeError):
        async with unit_of_work(any_db) as uow:  # the process dies after consuming, before commit
            await alerts.plan_alerts_for_wish(uow, wish("w-1"), now=T0)
            raise RuntimeError("killed")
    assert await FanoutWorker(any_db, chunk=2, clock=lambda: T0).drain() == 0  # no fan-out
    assert await queued(any_db, ref="wish:w-1") == []
    for _ in range(2):  # redelivered after the restart, then once more
        await post(any_db, wish("w-1"), chunk=2)
    rows = await queued(any_db, ref="wish:w-1")
    assert sorted(r.subscription_id for r in rows) == sorted(ids) and len(rows) == 7


async def test_resubscribing_replaces_the_old_rules(any_db):
    old = await confirmed(any_db, "a@example.org", categories=["building-services"])
    new = await confirmed(any_db, "A@example.org", categories=["iot-sensors"])
    async with any_db.session() as s:
        assert (await repository.get_subscription(s, old)).status == "replaced"
    item = Item.of("wish:w", ["building-services", "iot-sensors"], [])
    assert [c.subscription_id for c in await candidates(any_db, item)] == [new]


async def test_manage_link_changes_rules_and_index(any_db):
    sub = await confirmed(any_db, "a@example.org", categories=["building-services"])
    token = issue_token(SECRET, "manage", "sub:" + sub, T0)
    async with unit_of_work(any_db) as uow:  # the JSON of the manage page: every rule sent
        await subscriptions.change_subscription(uow, SECRET, token, {
            "email": "a@example.org", "categories": [], "keywords": ["chiller"],
            "frequency": "weekly"}, is_form=False, now=T0)
    assert await candidates(any_db, Item.of("w", ["building-services"], ["Lift"])) == []
    [c] = await candidates(any_db, Item.of("w", [], ["Chiller plant optimisation"]))
    assert (c.subscription_id, c.frequency) == (sub, "weekly")
    with pytest.raises(FieldError) as refused:
        async with unit_of_work(any_db) as uow:
            await subscriptions.change_subscription(uow, SECRET, token.replace(".", ".x", 1), {
                "email": "a@example.org", "keywords": ["x1"]}, is_form=False, now=T0)
    assert refused.value.fields == ["token"] and refused.value.status == 400


def party(pid, email, **kw):
    return MatchParty(id=pid, title_en=kw.get("title_en", f"Title {pid}"), title_zh=kw.get("title_zh"),
                      contact_email=email, owner_org=kw.get("org", "Org"))


async def test_match_found_and_decided_reach_both_contacts_once(any_db):
    await confirmed(any_db, "sol@startup.hk", categories=["iot-sensors"], language="zh-HK")
    matched = Matched(match_id="m-1", wish_id="w-1", solution_id="s-1", score=0.8,
                      reasons=[MatchReason(kind="term", value="lift")],
                      wish=party("w-1", "ee@emsd.gov.hk"), solution=party("s-1", "sol@startup.hk"))
    async with unit_of_work(any_db) as uow:
        assert await parties.plan_match_emails(uow, matched, now=T0) == 2
        assert await parties.plan_match_emails(uow, matched, now=T0) == 0
    rows = {r.recipient: r for r in await queued(any_db, ref="match:m-1")}
    assert rows["ee@emsd.gov.hk"].context == {"role": "wish"} and rows["ee@emsd.gov.hk"].language == "en"
    assert rows["sol@startup.hk"].language == "zh-HK"  # follows its subscription
    same = MatchDecided(match_id="m-2", wish_id="w-2", solution_id="s-2", decision="rejected",
                        reason="Out of scope", decided_by="EMSD",
                        wish=party("w-2", "x@org.hk"), solution=party("s-2", "X@org.hk"))
    async with unit_of_work(any_db) as uow:
        assert await parties.plan_match_emails(uow, same, now=T0) == 1


async def test_trial_completed_to_parties_and_report_subscribers(any_db):
    reader = await confirmed(any_db, "reader@example.org", receive_reports=True)
    await confirmed(any_db, "sol@startup.hk", receive_reports=True)  # a party and a subscriber
    await confirmed(any_db, "other@example.org", categories=["iot-sensors"])  # no reports
    event = TrialCompleted(
        trial_id="t-1", match_id="m-1", verdict="passed", report_url="/v1/trials/t-1/report",
        kpi_results=[KpiResult(name="Energy saved", unit="kWh/day", baseline=100, target=80,
                               direction="decrease", measured=75, met=True)],
        parties=[TrialParty(role="wish", id="w-1", title_en="Lift", contact_email="ee@emsd.gov.hk", owner_org="EMSD"),
                 TrialParty(role="solution", id="s-1", title_zh="升降機監測", contact_email="sol@startup.hk",
                            owner_org="HKUST")])
    async with unit_of_work(any_db) as uow:  # the consumer: the parties now, then a fan-out
        assert await parties.plan_trial_emails(uow, event, now=T0) == 2
    assert await FanoutWorker(any_db, chunk=1, clock=lambda: T0).drain() == 3  # 1 + 1 + the end
    async with any_db.session() as s:
        job = await s.get(FanoutJob, "trial:t-1:report:1")
    assert job.done_at is not None and 2 + job.emails == 3
    rows = {r.recipient: r for r in await queued(any_db, ref="trial:t-1:report:1")}
    assert len(rows) == 3
    assert set(rows) == {"ee@emsd.gov.hk", "sol@startup.hk", "reader@example.org"}
    assert rows["sol@startup.hk"].context["role"] == "solution" and rows["sol@startup.hk"].subscription_id is None
    assert rows["reader@example.org"].subscription_id == reader


async def test_contact_unsubscribe_link_suppresses_the_address(any_db):
    token = issue_token(SECRET, "unsubscribe", "email:ee@emsd.gov.hk", T0)
    async with unit_of_work(any_db) as uow:
        assert await subscriptions.unsubscribe(uow, SECRET, token, now=T0) == "ee@emsd.gov.hk"
    async with any_db.session() as s:
        assert await repository.suppressed_among(s, ["EE@emsd.gov.hk"]) == {"ee@emsd.gov.hk": "unsubscribed"}
    expired = issue_token(SECRET, "confirm", "sub:x", T0 - timedelta(days=3))
    with pytest.raises(FieldError, match="expired") as refused:
        async with unit_of_work(any_db) as uow:
            await subscriptions.confirm_subscription(uow, SECRET, expired, now=T0)
    assert refused.value.fields == ["token"] and refused.value.status == 410
