"""The SMTP window, measured from outside: the notifier (its own process) SIGKILLed four times
while it sends at full speed into a real aiosmtpd server, then left to finish.

Each acceptance is committed before the next message goes out on its connection, so a kill can
double at most the one message per open SMTP connection whose 250 was in flight or not yet
committed, never more, always with the first copy's Message-ID; nothing is lost.
"""

import re
from collections import Counter, defaultdict

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from innoportal.testing.harness import eventually
from innoportal.testing.smtp import SmtpServer, SmtpSink

from .conftest import publish, wish
from .test_crash import SUBSCRIBERS, Notifier, notifier_env, query, seed, sent

# Five starts of the notifier take a few seconds each; far longer on a loaded machine.
pytestmark = [pytest.mark.nats, pytest.mark.slow, pytest.mark.timeout(300)]

POOL = 4  # SMTP connections of the notifier
KILLS = 4
_MESSAGE_ID = re.compile(rb"^Message-ID: *(\S+)", re.MULTILINE | re.IGNORECASE)


class ConnectionSink(SmtpSink):
    """Keeps which connection, of which notifier process ("life"), carried each message."""

    def __init__(self) -> None:
        super().__init__()
        self.life = 0  # set by the test before it starts each notifier process
        self.life_of: dict[int, int] = {}  # connection number -> life
        self.open: set[int] = set()
        self.arrivals: list[tuple[int, str, str]] = []  # (connection, recipient, Message-ID)

    def opened(self, session) -> None:
        with self.lock:
            session.number = len(self.life_of)
            self.life_of[session.number] = self.life
            self.open.add(session.number)

    def closed(self, session) -> None:
        with self.lock:
            self.open.discard(session.number)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if reply.startswith("250"):
            found = _MESSAGE_ID.search(envelope.content)
            mid = found.group(1).decode() if found else ""
            with self.lock:
                self.arrivals.extend((session.number, rcpt, mid) for rcpt in envelope.rcpt_tos)
        return reply

    def open_now(self) -> set[int]:
        with self.lock:
            return set(self.open)


class _TrackingSMTP(SMTP):
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.event_handler.opened(self.session)

    def connection_lost(self, error) -> None:
        self.event_handler.closed(self.session)
        super().connection_lost(error)


class _TrackingController(Controller):
    def factory(self):
        return _TrackingSMTP(self.handler, **self.SMTP_kwargs)


class ConnectionSmtpServer(SmtpServer):
    """A real aiosmtpd server whose sink knows each message's connection."""

    def __init__(self) -> None:
        super().__init__()
        self.sink = ConnectionSink()

    def start(self) -> None:
        self.controller = _TrackingController(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()


def doubles_by_kill(arrivals: list[tuple[int, str, str]], life_of: dict[int, int]):
    """Every copy after a recipient's first, charged to the kill that ended the life of the
    copy before it, on that copy's connection: {life: Counter(connection -> doubles)}, and the
    recipients whose copies do not all carry one Message-ID."""
    copies: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for conn, rcpt, mid in arrivals:
        copies[rcpt].append((conn, mid))
    charged: dict[int, Counter] = defaultdict(Counter)
    mixed = []
    for rcpt, got in copies.items():
        if len({mid for _, mid in got}) != 1 or not got[0][1]:
            mixed.append(rcpt)
        for conn, _ in got[:-1]:
            charged[life_of[conn]][conn] += 1
    return charged, mixed


async def test_each_kill_mid_send_doubles_at_most_one_email_per_open_smtp_connection(
    tmp_path, nats_server
):
    server = ConnectionSmtpServer()
    server.start()
    sink = server.sink
    db_path = tmp_path / "notifier.db"
    expected = await seed(db_path)
    env, port = notifier_env(tmp_path, db_path, nats_server.url, server.url, pool=POOL)
    notifier = Notifier(env, port, tmp_path / "notifier.log")
    open_at_kill: dict[int, set[int]] = {}
    try:
        for life in range(KILLS):
            sink.life = life
            await notifier.start()
            if life == 0:
                await publish(nats_server.url, wish("w-window"))
            # Killed while the alerts stream out at full speed on every connection.
            target = (life + 1) * SUBSCRIBERS // (KILLS + 1)
            await eventually(lambda t=target: sink.count() >= t, timeout=90, interval=0.001)
            open_at_kill[life] = sink.open_now()
            notifier.kill()
            await eventually(lambda: not sink.open_now(), timeout=10)
        sink.life = KILLS
        await notifier.start()
        await eventually(lambda: sent(db_path) == SUBSCRIBERS, timeout=120)
    finally:
        notifier.stop()
        server.stop()

    charged, mixed = doubles_by_kill(sink.arrivals, sink.life_of)
    per_kill = [sum(charged[life].values()) for life in range(KILLS)]
    print(f"\nSMTP window: doubles per kill {per_kill} "
          f"(SMTP connections open at each kill: {[len(open_at_kill[k]) for k in range(KILLS)]})")
    assert mixed == []  # every copy carries its first copy's Message-ID
    for life in range(KILLS):
        assert open_at_kill[life], "each kill lands while the notifier is sending"
        assert set(charged[life]) <= open_at_kill[life]
        assert all(n == 1 for n in charged[life].values()), charged[life]
        assert per_kill[life] <= len(open_at_kill[life])
    assert KILLS not in charged  # the last process was stopped, not killed: nothing doubled
    received = sink.per_recipient()
    assert sorted(received) == expected  # nobody lost, nobody unconfirmed or unmatched
    states = dict(query(db_path, "SELECT state, count(*) FROM email_outbox GROUP BY state"))
    assert states == {"sent": SUBSCRIBERS}
