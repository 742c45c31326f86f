"""Delivery through a real aiosmtpd server: links, languages, retries, bounces, exactly once."""

from datetime import timedelta
from urllib.parse import urlsplit

from notifier_helpers import PORTAL_URL, SECRET, T0, links, post, subscribe, token_of, wish

from innoportal.uow import unit_of_work
from services.notifier import repository
from services.notifier.repository import email_outbox
from services.notifier.service import subscriptions
from services.notifier.workers.digests import DigestScheduler

HOUR = timedelta(hours=1)


async def log_rows(db, **kw):
    async with db.session() as s:
        return await email_outbox.deliveries(s, **kw)


async def test_confirmation_link_is_the_only_email_before_confirming(db, sender, smtp_server):
    sink = smtp_server.sink
    async with unit_of_work(db) as uow:
        sub, queued = await subscriptions.subscribe(
            uow, {"email": "ada@example.org", "categories": ["building-services"]}, now=T0)
    await post(db, wish("w-early"))  # posted while the address is unconfirmed
    await sender.drain(T0)
    got = sink.messages("ada@example.org")
    assert [m["X-InnoPortal-Kind"] for m in got] == ["confirmation"]
    assert got[0]["Subject"] == "Confirm your InnoPortal alerts"

    # Asking again at once neither floods the inbox nor creates a second subscription.
    async with unit_of_work(db) as uow:
        again, queued_again = await subscriptions.subscribe(
            uow, {"email": "ADA@example.org", "categories": ["iot-sensors"]},
            now=T0 + timedelta(minutes=1))
    assert (again.id, queued_again) == (sub.id, False)

    token = token_of(links(got[0])["subscribe/confirm"])
    async with unit_of_work(db) as uow:
        confirmed = await subscriptions.confirm_subscription(uow, SECRET, token, now=T0 + HOUR)
    assert confirmed.subscription.status == "confirmed"
    await post(db, wish("w-later", categories=["iot-sensors"]), now=T0 + HOUR)
    await sender.drain(T0 + HOUR)
    kinds = [m["X-InnoPortal-Kind"] for m in sink.messages("ada@example.org")]
    assert kinds == ["confirmation", "wish_alert"]


async def test_one_alert_when_three_rules_match_even_if_replayed(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "bo@example.org", categories=["building-services"],
                    keywords=["lift", "升降機"])
    event = wish("w-1")
    first = await post(db, event)
    again = await post(db, event)  # a redelivery, or the same wish seen twice
    assert (first.emails, again.emails) == (1, 0)
    await sender.drain(T0)
    alerts = [m for m in sink.messages("bo@example.org") if m["X-InnoPortal-Kind"] == "wish_alert"]
    assert len(alerts) == 1
    text = alerts[0].get_body(("plain",)).get_content()
    assert "Building services" in text and "“lift”" in text and "“升降機”" in text
    assert alerts[0]["Subject"] == "New wish: Lift fault prediction"


async def test_zh_hk_subscriber_gets_chinese_multipart_with_list_headers(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "chan@example.hk", keywords=["升降机"], language="zh-HK")
    await post(db, wish("w-zh", title_en=None, description_en=None))
    await sender.drain(T0)
    msg = [m for m in sink.messages("chan@example.hk") if m["X-InnoPortal-Kind"] == "wish_alert"][0]
    assert msg.get_content_type() == "multipart/alternative"
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html is not None
    assert msg["Subject"] == "新創科願望：升降機故障預測"
    assert "發佈了新的創科願望" in plain.get_content() and "收到原因" in plain.get_content()
    # Every link opens a portal page in the email's language, never a JSON API.
    assert f"{PORTAL_URL}/zh-hk/wishes/w-zh" in plain.get_content()
    assert f'href="{PORTAL_URL}/zh-hk/wishes/w-zh"' in html.get_content()
    assert "/v1/" not in plain.get_content() + html.get_content()
    assert '<html lang="zh-HK">' in html.get_content() and "立即取消訂閱" in html.get_content()
    assert msg["Content-Language"] == "zh-HK"
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@innoportal.example>")
    assert msg["Date"]
    unsubscribe = msg["List-Unsubscribe"].strip("<>")
    assert urlsplit(unsubscribe).scheme == "https" and unsubscribe.startswith(PORTAL_URL + "/unsubscribe?token=")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_one_click_unsubscribe_stops_queued_and_future_alerts(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "di@example.org", categories=["building-services"])
    await post(db, wish("w-1"))
    await sender.drain(T0)
    alert = [m for m in sink.messages("di@example.org") if m["X-InnoPortal-Kind"] == "wish_alert"][0]
    await post(db, wish("w-2"))  # queued, not yet sent, when the reader clicks
    async with unit_of_work(db) as uow:
        address = await subscriptions.unsubscribe(
            uow, SECRET, token_of(alert["List-Unsubscribe"].strip("<>")), now=T0)
    assert address == "di@example.org"
    await post(db, wish("w-3"))
    await sender.drain(T0 + HOUR)
    assert len(sink.messages("di@example.org")) == 2  # confirmation and the first alert only
    states = {r.ref: r.state for r in await log_rows(db, recipient="di@example.org")}
    assert states["wish:w-2"] == "suppressed" and "wish:w-3" not in states


async def test_transient_451_is_retried_with_backoff_and_delivered_once(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "ed@example.org", categories=["building-services"])
    sink.data_failures = 2
    await post(db, wish("w-1"))
    assert await sender.drain(T0) == 1
    assert await sender.drain(T0 + timedelta(seconds=1)) == 0  # not due yet: backoff
    row = (await log_rows(db, ref="wish:w-1"))[0]
    assert (row.state, row.attempts) == ("pending", 1) and "451" in row.last_error
    await sender.drain(T0 + HOUR)
    await sender.drain(T0 + 3 * HOUR)
    await sender.drain(T0 + 6 * HOUR)
    row = (await log_rows(db, ref="wish:w-1"))[0]
    assert (row.state, row.attempts) == ("sent", 3)
    assert len([m for m in sink.messages("ed@example.org") if m["X-InnoPortal-Kind"] == "wish_alert"]) == 1
    assert row.message_id == [m for m in sink.messages("ed@example.org")
                              if m["X-InnoPortal-Kind"] == "wish_alert"][0]["Message-ID"]


async def test_hard_bounce_fails_and_suppresses_the_address(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "fay@example.org", categories=["building-services"])
    sink.refused["fay@example.org"] = "550 5.1.1 No such user"
    await post(db, wish("w-1"))
    await sender.drain(T0)
    row = (await log_rows(db, ref="wish:w-1"))[0]
    assert row.state == "failed" and "550" in row.last_error and row.attempts == 1
    async with db.session() as s:
        assert await repository.suppressed_among(s, ["Fay@Example.org"]) == {"fay@example.org": "hard_bounce"}
    del sink.refused["fay@example.org"]
    await post(db, wish("w-2"))
    await sender.drain(T0 + HOUR)
    assert (await log_rows(db, ref="wish:w-2"))[0].state == "suppressed"
    assert [m["X-InnoPortal-Kind"] for m in sink.messages("fay@example.org")] == ["confirmation"]


async def test_smtp_server_down_then_up_delivers_each_alert_once(db, sender, smtp_server):
    sink = smtp_server.sink
    addresses = [f"u{i}@example.org" for i in range(5)]
    for a in addresses:
        await subscribe(db, sender, sink, a, categories=["building-services"])
    smtp_server.stop()
    await post(db, wish("w-1"))
    assert await sender.drain(T0) == 5
    rows = await log_rows(db, ref="wish:w-1")
    assert {r.state for r in rows} == {"pending"} and all(r.last_error.startswith("transient") for r in rows)
    assert await sender.drain(T0 + 2 * HOUR) == 5  # still down: another backoff round
    smtp_server.start()
    await sender.drain(T0 + 6 * HOUR)
    await sender.drain(T0 + 12 * HOUR)
    rows = await log_rows(db, ref="wish:w-1")
    assert {r.state for r in rows} == {"sent"} and {r.attempts for r in rows} == {3}
    for a in addresses:
        assert [m["X-InnoPortal-Kind"] for m in sink.messages(a)].count("wish_alert") == 1


async def test_a_sender_that_died_mid_send_is_taken_over_after_its_lease(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "gus@example.org", categories=["building-services"])
    await post(db, wish("w-1"))
    async with db.transaction() as s:  # a sender claims the row, then the process dies
        claimed = await email_outbox.claim_due(s, now=T0, limit=10)
    assert [r.state for r in claimed] == ["sending"]
    assert await sender.drain(T0 + timedelta(minutes=5)) == 0  # its lease still runs
    assert await sender.drain(T0 + timedelta(minutes=11)) == 1
    row = (await log_rows(db, ref="wish:w-1"))[0]
    assert (row.state, row.attempts) == ("sent", 2) and "sender stopped" in row.last_error
    assert sink.messages("gus@example.org")[-1]["X-InnoPortal-Kind"] == "wish_alert"
    assert sender.stats.recovered == 1


async def test_digest_is_sent_once_per_period_and_never_empty(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "hal@example.org", categories=["building-services"],
                    frequency="daily")
    scheduler = DigestScheduler(db)  # what the service runs: daily from 08:00 Hong Kong time
    assert (await scheduler.run_once(T0 + 24 * HOUR))["daily"] == 0
    await post(db, wish("w-1"))
    await post(db, wish("w-2", title_en="Chiller plant optimisation", title_zh="冷水機組優化"))
    await sender.drain(T0)
    assert [m["X-InnoPortal-Kind"] for m in sink.messages("hal@example.org")] == ["confirmation"]
    for _ in range(2):  # the scheduler fires twice (two nodes, or a restart)
        await scheduler.run_once(T0 + 24 * HOUR)
    await sender.drain(T0 + 24 * HOUR)
    digests = [m for m in sink.messages("hal@example.org") if m["X-InnoPortal-Kind"] == "digest"]
    assert len(digests) == 1
    assert digests[0]["Subject"] == "Your daily InnoPortal digest: 2 new wishes, including Lift fault prediction"
    text = digests[0].get_body(("plain",)).get_content()
    assert "Lift fault prediction" in text and "Chiller plant optimisation" in text
    # The next day has nothing new: no digest at all.
    assert (await scheduler.run_once(T0 + 48 * HOUR))["daily"] == 0


async def test_end_to_end_on_each_backend(any_db, smtp_server, composer):
    from services.notifier.adapters.smtp import SmtpConfig, SmtpPool
    from services.notifier.workers.sender import EmailSender, SenderPolicy

    pool = SmtpPool(SmtpConfig.from_url(f"smtp://127.0.0.1:{smtp_server.port}?timeout=5&pool=2"))
    sender = EmailSender(any_db.sessions, pool, composer, envelope_from="noreply@innoportal.example",
                         policy=SenderPolicy(batch=4))
    try:
        for i in range(6):
            await subscribe(any_db, sender, smtp_server.sink, f"p{i}@example.org",
                            categories=["building-services"], language="zh-HK" if i % 2 else "en")
        smtp_server.sink.data_failures = 1
        await post(any_db, wish("w-pg"))
        await sender.drain(T0)
        await sender.drain(T0 + HOUR)
        rows = await log_rows(any_db, ref="wish:w-pg")
        assert len(rows) == 6 and {r.state for r in rows} == {"sent"}
        for i in range(6):
            alerts = [m for m in smtp_server.sink.messages(f"p{i}@example.org")
                      if m["X-InnoPortal-Kind"] == "wish_alert"]
            assert len(alerts) == 1
            assert alerts[0]["Subject"] == ("新創科願望：升降機故障預測" if i % 2 else "New wish: Lift fault prediction")
        assert pool.connects <= 2  # connections were reused, never more than the pool
    finally:
        await pool.close()


async def test_crash_after_the_server_accepted_resends_with_the_same_message_id(db, sender, smtp_server, composer):
    """The documented window: delivered, then the process died before recording it."""
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "ivy@example.org", categories=["building-services"])
    await post(db, wish("w-1"))
    async with db.transaction() as s:
        [row] = await email_outbox.claim_due(s, now=T0, limit=10)
    msg = composer.compose(kind=row.kind, recipient=row.recipient, ref=row.ref, language=row.language,
                           now=T0, subscription_id=row.subscription_id, context=row.context,
                           items={"wish:w-1": {"id": "w-1", "title_en": "Lift fault prediction"}},
                           item_key=row.item_key)
    result = await sender.pool.send("noreply@innoportal.example", row.recipient, msg.as_bytes())
    assert result.outcome == "sent"  # ... and the process dies here, before settling
    await sender.drain(T0 + timedelta(minutes=11))
    alerts = [m for m in sink.messages("ivy@example.org") if m["X-InnoPortal-Kind"] == "wish_alert"]
    assert len(alerts) == 2 and alerts[0]["Message-ID"] == alerts[1]["Message-ID"]
    assert (await log_rows(db, ref="wish:w-1"))[0].state == "sent"


async def test_run_loop_wakes_on_commit_and_stops_cleanly(db, sender, smtp_server):
    import asyncio

    stop = asyncio.Event()
    sender.clock = lambda: T0
    email_outbox.on_email_commit(sender.wake)
    task = asyncio.create_task(sender.run(stop))
    try:
        async with unit_of_work(db) as uow:
            await subscriptions.subscribe(uow, {"email": "jo@example.org", "keywords": ["lift"]},
                                          now=T0)
        while not smtp_server.sink.messages("jo@example.org"):
            await asyncio.sleep(0.02)  # bounded by the test timeout, never asserted on
        stop.set()
        await task
    finally:
        email_outbox.remove_email_waker(sender.wake)
        stop.set()
    assert [m["X-InnoPortal-Kind"] for m in smtp_server.sink.messages("jo@example.org")] == ["confirmation"]


async def test_stop_all_then_subscribing_again_is_a_fresh_opt_in(db, sender, smtp_server):
    sink = smtp_server.sink
    async with db.transaction() as s:
        await repository.suppress(s, "kim@example.org", "unsubscribed", "contact link", now=T0)
    await subscribe(db, sender, sink, "kim@example.org", categories=["building-services"])
    async with db.session() as s:
        assert await repository.suppressed_among(s, ["kim@example.org"]) == {}
    await post(db, wish("w-1"))
    await sender.drain(T0)
    assert [m["X-InnoPortal-Kind"] for m in sink.messages("kim@example.org")] == ["confirmation", "wish_alert"]


async def test_unconfirmed_subscriptions_are_purged_after_their_link_expired(db):
    async with unit_of_work(db) as uow:
        sub, _ = await subscriptions.subscribe(
            uow, {"email": "lee@example.org", "keywords": ["lift"]}, now=T0)
        assert await repository.purge_unconfirmed(uow.session, older_than=T0) == 0
        assert await repository.purge_unconfirmed(uow.session, older_than=T0 + 72 * HOUR) == 1
    async with db.session() as s:
        assert await repository.get_subscription(s, sub.id) is None
