"""Alerts end to end: HTTP sign-up, events on JetStream, emails parsed from a real SMTP server."""

from contracts import (
    KpiResult,
    Matched,
    MatchParty,
    MatchReason,
    Subjects,
    TrialCompleted,
    TrialParty,
)
from innoportal.testing.harness import eventually, running
from services.notifier.bootstrap import create_app
from services.notifier.bus import CONSUMERS

from .conftest import PORTAL_URL, add_confirmed, deliver, links, path_of, publish, settled, wish

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
ONE_CLICK = {"Content-Type": "application/x-www-form-urlencoded"}
WISH_CONSUMER = CONSUMERS[Subjects.WISH_POSTED]


async def sign_up(client, sink, address: str, *, confirm: bool = True, **rules):
    """POST /v1/subscriptions, then follow the confirmation email's link (unless not asked):
    the link opens the portal's page, which confirms through our JSON answer."""
    response = await client.post("/v1/subscriptions", json={"email": address, **rules})
    assert response.status_code == 202, response.text
    [confirmation] = await eventually(lambda: sink.messages(address, "confirmation"))
    if confirm:
        link = links(confirmation)["subscribe/confirm"]
        assert link.startswith(f"{PORTAL_URL}/{rules.get('language', 'en').lower()}/subscribe/confirm?")
        page = await client.get(path_of(link), headers=JSON)
        assert page.status_code == 200, page.text
    return confirmation


async def test_one_alert_per_matching_subscriber_languages_and_unsubscribing(
    make_runtime, nats_server, smtp_server
):
    sink, url = smtp_server.sink, nats_server.url
    runtime = make_runtime()
    async with running(runtime, create_app(runtime)) as client:
        # Three rules that all match the wish: two categories and a keyword.
        await sign_up(client, sink, "ada@example.org", categories=["building-services", "iot-sensors"],
                      keywords=["lift"])
        await sign_up(client, sink, "bo@example.org", confirm=False, categories=["building-services"])
        await sign_up(client, sink, "chan@example.hk", keywords=["升降機"], language="zh-HK")
        await sign_up(client, sink, "di@example.org", categories=["fintech-govtech"])  # no match

        event = wish("w-1")
        await deliver(url, runtime, event, WISH_CONSUMER)
        await deliver(url, runtime, event, WISH_CONSUMER, msg_id="redelivered-w-1")  # same event again

        [alert] = sink.messages("ada@example.org", "wish_alert")
        assert alert["Subject"] == "New wish: Lift fault prediction"
        why = alert.get_body(("plain",)).get_content()
        assert "Building services" in why and "IoT and sensors" in why and "“lift”" in why
        assert [m["X-InnoPortal-Kind"] for m in sink.messages("bo@example.org")] == ["confirmation"]
        assert sink.messages("di@example.org", "wish_alert") == []
        [zh] = sink.messages("chan@example.hk", "wish_alert")
        assert zh["Subject"] == "新創科願望：升降機故障預測" and zh["Content-Language"] == "zh-HK"
        assert "收到原因" in zh.get_body(("plain",)).get_content()
        assert '<html lang="zh-HK">' in zh.get_body(("html",)).get_content()
        for msg in (alert, zh):
            assert msg["List-Unsubscribe"].startswith("<https://innoportal.example/unsubscribe?token=")
            assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert msg["Message-ID"] and msg["Date"]

        # Ada uses her mail program's one-click button; Chan follows the link in the email body.
        one_click = await client.post(path_of(alert["List-Unsubscribe"].strip("<>")),
                                      content=b"List-Unsubscribe=One-Click", headers=ONE_CLICK)
        assert one_click.status_code == 200
        assert f"{PORTAL_URL}/zh-hk/wishes/w-1" in zh.get_body(("plain",)).get_content()
        link = links(zh)["unsubscribe"]
        assert link.startswith(f"{PORTAL_URL}/zh-hk/unsubscribe?token=")
        page = await client.get(path_of(link), headers=BROWSER)  # an old email's link: to the portal
        assert page.status_code == 303 and page.headers["location"] == link
        preview = await client.get(path_of(link), headers=JSON)  # what the portal's page shows
        assert preview.status_code == 200 and preview.json()["status"] == "confirmed"
        done = await client.post(path_of(link), content=b"List-Unsubscribe=One-Click",
                                 headers={**ONE_CLICK, **JSON})  # the portal's button
        assert done.status_code == 200 and done.json()["status"] == "unsubscribed"

        await sign_up(client, sink, "ed@example.org", categories=["building-services"])  # a witness
        await deliver(url, runtime, wish("w-2"), WISH_CONSUMER)
        assert len(sink.messages("ed@example.org", "wish_alert")) == 1
        assert len(sink.messages("ada@example.org", "wish_alert")) == 1
        assert len(sink.messages("chan@example.hk", "wish_alert")) == 1


def party(role: str, pid: str, address: str, **titles) -> dict:
    return {"id": pid, "contact_email": address, "owner_org": "EMSD" if role == "wish" else "HKUST",
            "title_en": titles.get("en"), "title_zh": titles.get("zh")}


async def test_match_and_trial_events_reach_contacts_and_report_subscribers(
    make_runtime, nats_server, smtp_server
):
    sink, url = smtp_server.sink, nats_server.url
    runtime = make_runtime()
    async with running(runtime, create_app(runtime)):
        await add_confirmed(runtime, "reader@example.org", receive_reports=True, language="zh-HK")
        await add_confirmed(runtime, "other@example.org", categories=["iot-sensors"])  # no reports
        wish_side = party("wish", "w-1", "ee@emsd.gov.hk", en="Lift fault prediction")
        solution_side = party("solution", "s-1", "sol@startup.hk", zh="升降機監測")
        matched = Matched(match_id="m-1", wish_id="w-1", solution_id="s-1", score=0.8,
                          reasons=[MatchReason(kind="term", value="lift")],
                          wish=MatchParty(**wish_side), solution=MatchParty(**solution_side))
        await deliver(url, runtime, matched, CONSUMERS[Subjects.MATCH_FOUND])
        [to_wish] = sink.messages("ee@emsd.gov.hk", "match_found")
        [to_solution] = sink.messages("sol@startup.hk", "match_found")
        assert to_wish["Subject"] == "Match found: Lift fault prediction and 升降機監測"
        assert to_solution["Content-Language"] == "zh-HK"  # its record is in Chinese only

        completed = TrialCompleted(
            trial_id="t-1", match_id="m-1", verdict="passed", report_url="/v1/trials/t-1/report",
            kpi_results=[KpiResult(name="Downtime", unit="h", baseline=10, target=5,
                                   direction="decrease", measured=4, met=True)],
            parties=[TrialParty(role="wish", **wish_side), TrialParty(role="solution", **solution_side)])
        await deliver(url, runtime, completed, CONSUMERS[Subjects.TRIAL_COMPLETED])
        # The report's page on the portal, in each reader's language.
        for address, prefix in (("ee@emsd.gov.hk", "en"), ("sol@startup.hk", "zh-hk"),
                                ("reader@example.org", "zh-hk")):
            [msg] = sink.messages(address, "trial_completed")
            assert f"{PORTAL_URL}/{prefix}/reports/t-1\r\n" in msg.get_body(("plain",)).get_content()
        assert "subscribe/manage" in links(sink.messages("reader@example.org", "trial_completed")[0])
        assert sink.messages("other@example.org") == []


async def test_smtp_server_down_for_a_while_then_back_delivers_every_alert_once(
    make_runtime, nats_server, smtp_server
):
    sink, url = smtp_server.sink, nats_server.url
    runtime = make_runtime()
    addresses = [f"u{i}@example.org" for i in range(6)]
    async with running(runtime, create_app(runtime)):
        for address in addresses:
            await add_confirmed(runtime, address, categories=["building-services"])
        smtp_server.stop()
        seq = await publish(url, wish("w-down"))

        async def failed_twice():  # every alert met the closed port at least twice
            async with runtime.db.session() as s:
                from services.notifier.repository.email_outbox import deliveries

                rows = await deliveries(s, ref="wish:w-down")
            return len(rows) == 6 and all(r.attempts >= 2 and r.state == "pending" for r in rows)

        await eventually(failed_twice, timeout=30)
        smtp_server.start()
        await eventually(lambda: settled(runtime), timeout=60)
        assert seq
    for address in addresses:
        assert len(sink.messages(address, "wish_alert")) == 1
    assert sum(sink.per_recipient().values()) == 6
