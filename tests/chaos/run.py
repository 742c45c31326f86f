"""One chaos run: the six processes under `innoportal up` on a real nats-server (fsync before every
ack), a real SMTP server that fails on purpose, SQLite or a private PostgreSQL; the load runs
while the faults strike; then the system is left to settle and everything is counted from outside.

Settings moved from their defaults, and why: the notifier retries a refused email after 1 s
doubling to 4 s (not 30 s doubling to an hour) with as many more attempts, so the test waits
for the SMTP server rather than for back-off timers; on PostgreSQL a 'sending' claim of a killed
notifier is taken back after 60 s (not 10 minutes). Everything else is as deployed."""

import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from innoportal.services import SERVICES
from innoportal.testing.faulty_smtp import FaultySmtpServer
from innoportal.testing.nats_server import NatsServer
from innoportal.testing.postgres import PrivatePostgres
from innoportal.testing.settle import in_flight, ready
from innoportal.testing.system import running_system, until

from .audit import Tally, audit
from .faults import Faults, Profile, schedule
from .load import Load, make_venue

ENV = {
    "INNOPORTAL_NOTIFIER_SEND_RETRY_BASE_SECONDS": "1",
    "INNOPORTAL_NOTIFIER_SEND_RETRY_MAX_SECONDS": "4",
    "INNOPORTAL_NOTIFIER_SEND_MAX_ATTEMPTS": "50",
    "INNOPORTAL_NOTIFIER_METRICS_REFRESH_SECONDS": "1",
    # Providers register from one address (this test); the limits are for people.
    "INNOPORTAL_PORTAL_SIGN_IN_LINKS_PER_ADDRESS": "1000",
    "INNOPORTAL_PORTAL_SIGN_IN_LINKS_PER_CLIENT": "100000",
}
POSTGRES_ENV = {"INNOPORTAL_NOTIFIER_SEND_LEASE_SECONDS": "60"}
FINISH_SECONDS = 180  # for the load's confirmations and trials once the faults have ended
SETTLE_SECONDS = 240  # for everything in flight to land
AUDIT_SECONDS = 60  # for what is due and not yet there (a late email) before it counts as lost


@dataclass
class Result:
    """What a run did and what the audit counted."""

    profile: Profile
    backend: str
    tally: Tally
    faults: Faults
    load: Load
    seconds: dict[str, float]
    waited: dict[str, float]  # settling: what was in flight, until when

    def figure(self) -> str:
        """The one line: records, kills, outages, lost, doubled."""
        t = self.tally
        return (f"chaos {self.profile.name} ({self.backend}): records {sum(t.records.values())}, "
                f"kills {len(self.faults.kills)}, outages {len(self.faults.outages)}, "
                f"lost {sum(t.lost.values())}, doubled {sum(t.doubled.values())}")

    def report(self) -> str:
        """The figure, then what it is made of."""
        t, f = self.tally, self.faults
        kills = {name: sum(k.service == name for k in f.kills) for name in SERVICES}
        first = min([k.at for k in f.kills] + [o.start for o in f.outages])
        outages = ", ".join(f"{o.what} {o.end - o.start:.1f} s" for o in f.outages if o.end)
        floor = ", ".join(f"{cut}: {t.floor.get(cut, 0)}" + (
            " (first copies accepted " + " and ".join(sorted({_ms(min(ms)), _ms(max(ms))}))
            + ")" if (ms := t.floor_ms.get(cut)) else "") for cut, _ in f.cuts())
        lines = [
            self.figure(),
            "  records: " + ", ".join(f"{k} {v}" for k, v in sorted(t.records.items())),
            "  kills: " + ", ".join(f"{k} {v}" for k, v in kills.items())
            + "; at s " + " ".join(f"{k.at - first:.0f}" for k in f.kills),
            f"  outages: {outages}",
            "  fault times (t): " + ", ".join(
                [f"kill {k.service} {k.at:.1f}" for k in f.kills]
                + [f"{o.what} {o.start:.1f}-{o.end or 0:.1f}" for o in f.outages]),
            f"  events on the stream {t.events}; emails accepted {t.emails}; alert pairs due "
            f"exactly once {t.exact_alert_pairs}, at most once {t.loose_alert_pairs}",
            f"  SMTP's floor, resent with the same Message-ID, per crash: {floor or 'none'} "
            f"(on {len(t.floor_connections)} connections)",
            f"  load: {self.load.ledger.calls} writes, {self.load.ledger.no_answer} without an "
            f"answer",
            "  seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in self.seconds.items()),
            "  settling waited for: " + (", ".join(
                f"{k} ({v:.0f} s)" for k, v in sorted(self.waited.items(), key=lambda i: -i[1]))
                or "nothing"),
        ]
        if t.lost:
            lines.append("  lost: " + ", ".join(f"{k} {v}" for k, v in t.lost.items()))
        if t.doubled:
            lines.append("  doubled: " + ", ".join(f"{k} {v}" for k, v in t.doubled.items()))
        lines += [f"    {p}" for p in t.problems[:30]]
        return "\n".join(lines)


def _ms(before: float) -> str:
    return f"{abs(before):.0f} ms {'before' if before >= 0 else 'after'} it"


def _postgres(stack: ExitStack, backend: str) -> tuple[PrivatePostgres | None, dict[str, str]]:
    """A private PostgreSQL with a database per service, and the environment that uses them."""
    if backend != "postgres":
        return None, {}
    pg = PrivatePostgres()
    stack.callback(pg.stop)
    pg.start()
    urls = {f"INNOPORTAL_{name.upper()}_DATABASE_URL": pg.create_database(name)
            for name in SERVICES}
    return pg, {**urls, **POSTGRES_ENV}


def run_chaos(tmp_path: Path, profile: Profile, backend: str = "sqlite") -> Result:
    """The whole run; returns what it counted (the caller asserts)."""
    seconds: dict[str, float] = {}
    began = time.monotonic()
    with ExitStack() as stack:
        smtp = FaultySmtpServer()
        smtp.start()
        stack.callback(smtp.stop)
        nats = NatsServer(tmp_path / "nats").start()
        stack.callback(nats.stop)
        pg, pg_env = _postgres(stack, backend)
        (tmp_path / "up").mkdir()
        system = stack.enter_context(running_system(tmp_path / "up", {
            **ENV, **pg_env, "INNOPORTAL_NATS_URL": nats.url, "INNOPORTAL_SMTP_URL": smtp.url}))
        until(lambda: ready(system), 90, "every service ready (database and bus)")
        load = Load(system, smtp.sink, accept_max=profile.accept_max, venue_id=make_venue(system))
        faults = Faults(system, nats, smtp, pg)
        seconds["start"] = time.monotonic() - began

        load.start()
        stack.callback(load.stop)
        time.sleep(3)  # the load under way before the first fault
        assert not load.errors, load.errors[:10]
        began_faults = time.monotonic()
        faults.run(schedule(profile, pg is not None))
        seconds["faults"] = time.monotonic() - began_faults
        assert not faults.errors, faults.errors

        began_finish = time.monotonic()
        load.stop_creating()
        until(lambda: not load.unfinished(), FINISH_SECONDS,
              "the load's confirmations and trials through")
        load.stop()
        assert not load.errors, load.errors[:10]
        seconds["finish"] = time.monotonic() - began_finish

        began_settle = time.monotonic()
        waited: dict[str, float] = {}  # what was in flight, and until when (s into settling)

        def settled() -> bool:
            moving = in_flight(system, nats.url)
            for what in moving:
                waited[what.split(":")[0]] = time.monotonic() - began_settle
            return not moving

        until(settled, SETTLE_SECONDS, "nothing in flight")
        seconds["settle"] = time.monotonic() - began_settle

        began_audit = time.monotonic()
        tallies: list[Tally] = []

        def nothing_missing() -> bool:
            tallies.append(audit(system, nats.url, smtp.sink, load.ledger, faults.cuts()))
            return not tallies[-1].lost

        try:
            until(nothing_missing, AUDIT_SECONDS, "nothing lost")
        except AssertionError:
            if not tallies:
                raise  # the audit itself could not run
            # else what is still missing is lost
        tally = tallies[-1]
        seconds["audit passes"] = len(tallies)
        seconds["audit"] = time.monotonic() - began_audit
    seconds["total"] = time.monotonic() - began
    return Result(profile, backend, tally, faults, load, seconds, waited)
