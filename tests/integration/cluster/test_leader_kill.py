"""The whole system on the three-node cluster of deploy/nats/ (on loopback), the stream leader's
node SIGKILLed under load and later restarted: nothing lost, nothing doubled.

The services run as processes (`innoportal up`) with INNOPORTAL_NATS_URL listing the three nodes,
comma-separated, with the services' user, as deploy/README.md tells operators, and
INNOPORTAL_STREAM_REPLICAS=3. While a department posts wishes through the wishes API and confirmed
subscribers are alerted through a real SMTP server, the node leading INNOPORTAL is killed,
loading goes on on the other two, then the node is started again. Counted from outside at the
end: every wish answered 201 has exactly one WishPosted on the stream (read with nats-py), no
event of any kind is there twice, nothing was parked, every confirmed subscriber got exactly one
alert per matching wish (by Message-ID and by (subscriber, wish)), and the restarted node holds
the same stream as the other two.

The node killed is the one the wishes service (the publisher) is connected to: the leader is
moved there first when it is elsewhere, so every run also sees a service reconnect to another
node through its URL list. What the run saw (leader change, reconnections, publishes retried,
redeliveries) is printed at the end (`pytest -s`)."""

import asyncio
import email
import email.policy
import json
import re
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import nats
import pytest

from contracts import STREAM_NAME, Subjects
from contracts.streams import PARKED_STREAM_NAME
from innoportal.services import SERVICES
from innoportal.testing.nats_cluster import NatsCluster, running_cluster
from innoportal.testing.settle import consumers, metric, ready
from innoportal.testing.smtp import SmtpServer
from innoportal.testing.system import System, running_system, text_of, until

pytestmark = [pytest.mark.nats, pytest.mark.slow, pytest.mark.timeout(300)]

# Confirmed subscribers and the categories they follow (one follows none of the wishes').
SUBSCRIBERS = {
    "ada@example.org": ("building-services",),
    "bo@example.org": ("iot-sensors",),
    "chan@example.hk": ("building-services", "iot-sensors"),
    "dee@example.org": ("energy-efficiency",),
    "eli@example.org": ("iot-sensors", "energy-efficiency"),
    "fay@example.org": ("smart-mobility",),
}
LANGUAGES = {"chan@example.hk": "zh-HK"}
PENDING = "pat@example.org"  # subscribes, never confirms: gets nothing but the confirmation
# The wishes' categories, in turn (the last matches nobody).
WISH_CATEGORIES = (("building-services",), ("iot-sensors",),
                   ("energy-efficiency", "building-services"), ("renewable-energy",))
BEFORE_KILL = 20  # wishes answered 201 before the kill
WHILE_DOWN = 30  # at least, while the node is down
AFTER_RESTART = 20
PACE = 0.1  # seconds between two wishes
WISH_LINK = re.compile(r"/(?:en|zh-hk)/wishes/([A-Za-z0-9_-]+)")
TOKEN = re.compile(r"[?&]token=([^\s&\"<>]+)")
# Fast retries, so the test waits for the cluster rather than for back-off timers.
ENV = {
    "INNOPORTAL_STREAM_REPLICAS": "3",
    "INNOPORTAL_OUTBOX_MAX_BACKOFF": "1.0",
    "INNOPORTAL_OUTBOX_POLL_INTERVAL": "0.2",
    "INNOPORTAL_RETRY_BASE_DELAY": "0.2",
    "INNOPORTAL_RETRY_MAX_DELAY": "1.0",
    "INNOPORTAL_NOTIFIER_SEND_POLL_SECONDS": "0.2",
    "INNOPORTAL_NOTIFIER_METRICS_REFRESH_SECONDS": "0.5",
}


@dataclass
class Load:
    """A department posting wishes until told to stop."""

    system: System
    posted: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # 201: (id, cats)
    refused: list[str] = field(default_factory=list)  # anything else
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def run(self) -> None:
        headers = self.system.auth("department", "WSD")
        url = self.system.url("wishes") + "/v1/wishes"
        with httpx.Client(timeout=30) as client:
            i = 0
            while not self.stop.is_set():
                categories = WISH_CATEGORIES[i % len(WISH_CATEGORIES)]
                body = {"title_en": f"Cluster wish {i}",
                        "description_en": f"Wish {i} posted while a NATS node may be down",
                        "categories": list(categories), "contact_email": "ops@wsd.gov.hk"}
                try:
                    answer = client.post(url, json=body, headers=headers)
                except httpx.HTTPError as exc:
                    self.refused.append(repr(exc))
                else:
                    if answer.status_code == 201:
                        self.posted.append((answer.json()["id"], categories))
                    else:
                        self.refused.append(f"{answer.status_code} {answer.text[:300]}")
                i += 1
                self.stop.wait(PACE)

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        assert self.thread is not None
        self.thread.join(60)

    def count(self) -> int:
        return len(self.posted)


class Alerts:
    """(recipient, wish id, Message-ID) of every wish alert the SMTP server accepted; each
    message is parsed once (the SMTP server shares this process)."""

    def __init__(self, smtp: SmtpServer) -> None:
        self.sink = smtp.sink
        self.seen = 0
        self.got: list[tuple[str, str, str]] = []

    def __call__(self) -> list[tuple[str, str, str]]:
        with self.sink.lock:
            new = self.sink.received[self.seen:]
        self.seen += len(new)
        for _, _, raw in new:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            if msg["X-InnoPortal-Kind"] == "wish_alert":
                found = WISH_LINK.search(text_of(msg))
                self.got.append((str(msg["To"]), found.group(1) if found else "?",
                                 str(msg["Message-ID"])))
        return list(self.got)


def subscribe_and_confirm(system: System, smtp: SmtpServer) -> None:
    """Every subscriber asks for instant alerts; all but PENDING follow the emailed link."""
    with httpx.Client(timeout=30) as client:
        for address, categories in [*SUBSCRIBERS.items(), (PENDING, ("building-services",))]:
            answer = client.post(system.url("notifier") + "/v1/subscriptions", json={
                "email": address, "categories": list(categories),
                "language": LANGUAGES.get(address, "en"), "frequency": "instant"})
            assert answer.status_code == 202, answer.text
        for address in SUBSCRIBERS:
            mail = until(lambda a=address: smtp.sink.messages(a, "confirmation"), 60,
                         f"the confirmation email to {address}")[0]
            token = TOKEN.search(text_of(mail)).group(1)
            answer = client.get(f"{system.url('notifier')}/v1/subscriptions/confirm?token={token}",
                                headers={"Accept": "application/json"})
            assert answer.status_code == 200 and answer.json()["status"] == "confirmed", answer.text


def expected_alerts(posted: list[tuple[str, tuple[str, ...]]]) -> set[tuple[str, str]]:
    """(subscriber, wish) of every alert due: each confirmed subscriber, each matching wish."""
    return {(address, wish_id) for wish_id, categories in posted
            for address, follows in SUBSCRIBERS.items() if set(follows) & set(categories)}


def move_leader(cluster: NatsCluster, target: str) -> bool:
    """Whether `target` leads INNOPORTAL; if not, ask the leader to step down for it."""
    if cluster.stream_leader() == target:
        return True
    try:
        cluster.step_down(preferred=target)
    except Exception:  # an election under way, the replica not current yet: ask again
        pass
    return False


def led_by_another(cluster: NatsCluster, target: str):
    """INNOPORTAL's info once a node other than `target` leads it, else None."""
    try:
        info = asyncio.run(cluster.stream_info())
    except Exception:  # no leader to answer yet
        return None
    return info if info.cluster and info.cluster.leader not in (None, "", target) else None


async def stream_events(cluster: NatsCluster,
                        stream: str = STREAM_NAME) -> list[tuple[str, str, str]]:
    """(subject, Nats-Msg-Id, wish id of a WishPosted) of every message of `stream`."""
    nc = await cluster.connect()
    try:
        js = nc.jetstream(timeout=5)
        info = await js.stream_info(stream)
        out = []
        for seq in range(max(1, info.state.first_seq), info.state.last_seq + 1):
            try:
                msg = await js.get_msg(stream, seq)
            except nats.js.errors.NotFoundError:
                continue
            wish = (json.loads(msg.data)["wish"]["id"] if msg.subject == Subjects.WISH_POSTED
                    else "")
            out.append((msg.subject, (msg.headers or {}).get("Nats-Msg-Id", ""), wish))
        return out
    finally:
        await nc.close()


def settled(system: System, cluster: NatsCluster) -> bool:
    """Nothing in flight: every consumer has everything acked, the notifier sends nothing."""
    for info in asyncio.run(consumers(cluster.admin_servers())):
        if info.num_pending or info.num_ack_pending:
            return False
    return (metric(system, "notifier", "innoportal_notifier_emails", state="pending") == 0
            and metric(system, "notifier", "innoportal_notifier_emails", state="sending") == 0
            and metric(system, "notifier", "innoportal_notifier_fanouts_open") == 0
            and metric(system, "wishes", "innoportal_outbox_backlog") == 0)


def republished(system: System) -> tuple[int, Counter]:
    """Events of the wishes outbox whose first publish failed, and the errors they met."""
    db = sqlite3.connect(f"file:{system.cwd / 'var' / 'wishes.db'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT attempts, last_error FROM outbox WHERE attempts > 1").fetchall()
    finally:
        db.close()
    return len(rows), Counter((error or "").split("(")[0] for _, error in rows)


def reconnections(system: System, service: str) -> list[str]:
    """The seconds of each "reconnected to NATS after …" line of a service's log."""
    found = []
    for line in (system.cwd / "var" / "logs" / f"{service}.log").read_text().splitlines():
        if "reconnected to NATS after" in line:
            found += re.findall(r"after ([\d.]+s)", line)
    return found


def test_killing_the_stream_leader_under_load_loses_and_doubles_nothing(tmp_path):
    started = time.monotonic()
    smtp = SmtpServer()
    smtp.start()
    (tmp_path / "up").mkdir()
    try:
        with running_cluster(tmp_path / "nats") as cluster, running_system(
                tmp_path / "up", {**ENV, "INNOPORTAL_NATS_URL": cluster.services_url,
                                  "INNOPORTAL_SMTP_URL": smtp.url}) as system:
            run(cluster, system, smtp, started)
    finally:
        smtp.stop()


def run(cluster: NatsCluster, system: System, smtp: SmtpServer, started: float) -> None:
    began = time.monotonic()
    names = {f"innoportal-{name}": name for name in SERVICES}  # connection name -> service
    until(lambda: ready(system), 60, "every service ready (database and bus)")
    for stream in (STREAM_NAME, PARKED_STREAM_NAME):  # raised by the services themselves
        info = asyncio.run(cluster.stream_info(stream))
        assert info.config.num_replicas == 3, (stream, info.config.num_replicas)
    where = until(lambda: (w := cluster.clients()) and set(names) <= set(w) and w, 30,
                  "every service connected to one node")
    assert all(len(where[n]) == 1 for n in names), where
    target = where["innoportal-wishes"][0]  # the publisher's node is the one to lose
    until(lambda: move_leader(cluster, target), 60, f"the stream leader moved to {target}")
    on_target = sorted(names[n] for n in names if where[n] == [target])

    subscribe_and_confirm(system, smtp)
    alerts = Alerts(smtp)
    load = Load(system)
    load.start()
    until(lambda: load.count() >= BEFORE_KILL and alerts(), 60,
          "wishes posted and alerts going out")

    # The leader's node dies as in a crash; loading goes on.
    infos = asyncio.run(consumers(cluster.admin_servers()))
    led_there = sum(info.cluster.leader == target for info in infos)
    at_kill, alerts_at_kill = load.count(), len(alerts())
    killed_at, killed_wall = time.monotonic(), datetime.now(UTC)
    cluster.kill(target)
    info = until(lambda: led_by_another(cluster, target), 60, "a new stream leader")
    new_leader = info.cluster.leader
    leader_change = (info.cluster.leader_since - killed_wall).total_seconds()
    moved = until(lambda: (w := cluster.clients()) and set(names) <= set(w) and w, 60,
                  "every service connected again")
    assert all(target not in moved[n] for n in names), moved  # through their URL lists
    posted_while_down = lambda: {w for w, _ in load.posted[at_kill:]}  # noqa: E731
    until(lambda: load.count() >= at_kill + WHILE_DOWN
          and {w for _, w, _ in alerts()} & posted_while_down(), 60,
          "wishes posted while the node is down, alerted by the two others")

    # The node comes back and catches up; loading goes on a while, then stops.
    down_for, wishes_while_down = time.monotonic() - killed_at, load.count() - at_kill
    cluster.restart(target, timeout=60)
    at_restart = load.count()
    until(lambda: load.count() >= at_restart + AFTER_RESTART, 60, "wishes after the restart")
    load.finish()
    loaded = time.monotonic()

    # Wait for everything to arrive and nothing to be in flight, then count from outside.
    assert load.refused == [], load.refused[:5]
    posted = list(load.posted)
    due = expected_alerts(posted)
    until(lambda: due <= {(to, w) for to, w, _ in alerts()}, 90, "every alert due")
    until(lambda: settled(system, cluster), 60, "nothing left in flight")
    states = until(lambda: (s := {n: cluster.stream_state(n) for n in cluster.nodes})
                   and all(s.values()) and len({v["last_seq"] for v in s.values()}) == 1
                   and len({v["messages"] for v in s.values()}) == 1 and s,
                   60, "the three copies of the stream alike")

    events = asyncio.run(stream_events(cluster))
    by_msg_id = Counter(msg_id for _, msg_id, _ in events)
    assert [m for m, n in by_msg_id.items() if n > 1] == [], "an event stored twice"
    wish_posted = Counter(w for subject, _, w in events if subject == Subjects.WISH_POSTED)
    ids = [w for w, _ in posted]
    assert len(set(ids)) == len(ids)
    lost = [w for w in ids if wish_posted[w] == 0]
    doubled = [w for w in ids if wish_posted[w] > 1]
    unknown = set(wish_posted) - set(ids)
    assert (lost, doubled, unknown) == ([], [], set()), (lost, doubled, unknown)
    assert asyncio.run(stream_events(cluster, PARKED_STREAM_NAME)) == [], "messages parked"

    sent = alerts()
    per_message_id = Counter(mid for _, _, mid in sent)
    per_pair = Counter((to, w) for to, w, _ in sent)
    assert [m for m, n in per_message_id.items() if n > 1] == [], "an alert sent twice"
    assert [p for p, n in per_pair.items() if n > 1] == [], "a subscriber alerted twice"
    assert set(per_pair) == due, (sorted(set(per_pair) - due)[:5], sorted(due - set(per_pair))[:5])
    assert smtp.sink.messages(PENDING, "wish_alert") == []

    # No service process died: those on the killed node reconnected, and said so once.
    assert " exited (code" not in system.printed, system.printed
    assert all(reconnections(system, s) for s in on_target), system.logs()

    # What the run saw. Deliveries beyond one per message are JetStream's redeliveries.
    per_subject = Counter(subject for subject, _, _ in events)
    infos = asyncio.run(consumers(cluster.admin_servers()))
    redelivered = {i.name: i.delivered.consumer_seq - per_subject[i.config.filter_subject]
                   for i in infos}
    # Handled (acked) beyond once per event: redeliveries the idempotency claim made no-ops.
    handled_again = {i.name: int(metric(system, i.name.split("-")[0],
                                        "innoportal_consumer_messages_total", consumer=i.name,
                                        outcome="ok")) - per_subject[i.config.filter_subject]
                     for i in infos}
    retried_publishes, errors = republished(system)
    print("\n".join((
        f"\n3-node cluster: cluster and system started in {began - started:.0f} s, then "
        f"{time.monotonic() - began:.0f} s (loading {loaded - began:.0f} s of it)",
        f"  killed {target} (leader of INNOPORTAL and of {led_there} of its "
        f"{len(redelivered)} consumers; services connected there: {', '.join(on_target)}) "
        f"after {at_kill} wishes and {alerts_at_kill} alerts",
        f"  new stream leader {new_leader} {leader_change:.1f} s after the kill; reconnected: "
        f"{ {s: reconnections(system, s) for s in on_target} }",
        f"  {wishes_while_down} wishes posted in the {down_for:.1f} s it was down; restarted, "
        f"its copy at seq {states[target]['last_seq']} like the others",
        f"  wishes 201: {len(ids)}, WishPosted on the stream: {sum(wish_posted.values())} "
        f"(lost 0, doubled 0); events on the stream: {len(events)}, none twice; parked 0",
        f"  alerts due: {len(due)}, sent: {len(sent)}, distinct Message-IDs: "
        f"{len(per_message_id)} (lost 0, doubled 0)",
        f"  wish events published again after a failed publish: {retried_publishes} "
        f"{dict(errors)}; redeliveries by JetStream: "
        f"{ {k: v for k, v in redelivered.items() if v} or 0}; of them handled again (a "
        f"no-op by the claim): { {k: v for k, v in handled_again.items() if v} or 0}")))
