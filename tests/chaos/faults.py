"""The faults of a chaos run, on a schedule: every service SIGKILLed several times (and restarted
by `innoportal up`'s supervisor), NATS stopped (and, in the long run, killed) and started again,
the SMTP server refusing connections for 20 s and later answering 4xx, and, with the PostgreSQL
backend, the private PostgreSQL crashed and restarted."""

import os
import signal
import threading
import time
from dataclasses import dataclass, field

import httpx

from innoportal.services import SERVICES
from innoportal.testing.faulty_smtp import FaultySmtpServer
from innoportal.testing.nats_server import NatsServer
from innoportal.testing.postgres import PrivatePostgres
from innoportal.testing.system import System, child_pids, until

SMTP_REFUSAL_SECONDS = 20.0
RESTART_SECONDS = 180  # a killed service is back within this, however loaded the machine
UP_BEFORE_KILL_SECONDS = 5.0  # a restarted service works this long at least before a kill


@dataclass(frozen=True)
class Profile:
    """How long the faults last and how many there are."""

    name: str
    fault_seconds: float  # from the first fault to the last recovery
    kills_per_service: int
    nats_down_seconds: float
    nats_kill: bool  # also SIGKILL nats-server once (besides stopping it)
    smtp_4xx_seconds: float
    pg_restarts: int
    accept_max: int  # matches EMSD accepts, each run as a trial to its report


SHORT = Profile("short", fault_seconds=76, kills_per_service=2, nats_down_seconds=6,
                nats_kill=False, smtp_4xx_seconds=12, pg_restarts=1, accept_max=3)
LONG = Profile("long", fault_seconds=240, kills_per_service=5, nats_down_seconds=8,
               nats_kill=True, smtp_4xx_seconds=30, pg_restarts=2, accept_max=12)


def schedule(profile: Profile, postgres: bool) -> list[tuple[float, str, str]]:
    """(seconds after the start, action, target), in time order."""
    d = profile.fault_seconds
    refuse, fail = 0.10 * d, 0.62 * d
    events = [(refuse, "smtp_refuse", ""), (refuse + SMTP_REFUSAL_SECONDS, "smtp_resume", ""),
              (fail, "smtp_fail", ""), (fail + profile.smtp_4xx_seconds, "smtp_answer", "")]
    nats_at = [(0.28 * d, "nats_stop")] + ([(0.78 * d, "nats_kill")] if profile.nats_kill else [])
    for at, how in nats_at:
        events += [(at, how, ""), (at + profile.nats_down_seconds, "nats_start", "")]
    if postgres:
        events += [((0.45 + 0.4 * i) * d, "pg_restart", "") for i in range(profile.pg_restarts)]
    # The notifier is killed right after each SMTP fault ends, when the queued mail flows: the
    # moment a kill can cut an accepted message's reply (SMTP's own window); its other kills,
    # and every other service's, are spread evenly.
    bursts = [refuse + SMTP_REFUSAL_SECONDS + 2.5, fail + profile.smtp_4xx_seconds + 2.5]
    events += [(at, "kill", "notifier") for at in bursts[:profile.kills_per_service]]
    order = [name for i in range(profile.kills_per_service)
             for name in ("wishes", "solutions", "matcher", "notifier", "trials", "portal")
             if name != "notifier" or i >= len(bursts)]
    spacing = (d - 8) / len(order)
    events += [(1 + i * spacing, "kill", name) for i, name in enumerate(order)]
    assert {name for _, action, name in events if action == "kill"} == set(SERVICES)
    return sorted(events)


@dataclass
class Kill:
    service: str
    at: float  # time.monotonic()
    pid: int


@dataclass
class Outage:
    what: str
    start: float
    end: float | None = None


@dataclass
class Faults:
    """Runs a schedule (the outages in one thread, the kills in another) and records what it
    did, when."""

    system: System
    nats: NatsServer
    smtp: FaultySmtpServer
    pg: PrivatePostgres | None = None
    kills: list[Kill] = field(default_factory=list)
    outages: list[Outage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def run(self, events: list[tuple[float, str, str]]) -> None:
        """Strike every fault of `events`; returns when the last is over. The outages keep to
        their times; a kill waits, besides, until its service answers again after the kill
        before (a process still starting is not the running service the kill is meant for), so
        on a loaded machine the kills may run late."""
        kills = [e for e in events if e[1] == "kill"]
        others = [e for e in events if e[1] != "kill"]
        t0 = time.monotonic()
        threads = [threading.Thread(target=self._run, args=(t0, part), name=f"faults-{i}",
                                    daemon=True) for i, part in enumerate((others, kills))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _run(self, t0: float, events: list[tuple[float, str, str]]) -> None:
        try:
            for at, action, target in events:
                time.sleep(max(0.0, t0 + at - time.monotonic()))
                getattr(self, action)(target)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(repr(exc))

    def _open(self, what: str) -> None:
        self.outages.append(Outage(what, time.monotonic()))

    def _close(self, what: str) -> None:
        outage = next(o for o in reversed(self.outages) if o.what == what and o.end is None)
        outage.end = time.monotonic()

    # --- actions ------------------------------------------------------------------------------

    def kill(self, service: str) -> None:
        """SIGKILL the service's process; one the supervisor is still restarting after the kill
        before is first let come up and work a few seconds."""

        def answers() -> bool:
            return httpx.get(self.system.url(service) + "/healthz", timeout=2).status_code == 200

        try:
            up = answers()
        except httpx.HTTPError:
            up = False
        if not up:  # still starting again: let it come up and work a while
            until(answers, RESTART_SECONDS, f"{service} answering again before its next kill")
            time.sleep(UP_BEFORE_KILL_SECONDS)
        marker = f" serve {service} "
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for pid, command in child_pids(self.system.proc.pid).items():
                if marker in command + " ":
                    self.system.children[pid] = command  # killed at the end if still alive
                    os.kill(pid, signal.SIGKILL)
                    self.kills.append(Kill(service, time.monotonic(), pid))
                    return
            time.sleep(0.1)
        raise AssertionError(f"no {service} process to kill within 60 s")

    def nats_stop(self, _: str = "") -> None:
        self._open("nats")
        self.nats.stop()

    def nats_kill(self, _: str = "") -> None:
        self._open("nats")
        self.nats.kill()

    def nats_start(self, _: str = "") -> None:
        self.nats.start()
        self._close("nats")

    def smtp_refuse(self, _: str = "") -> None:
        self._open("smtp refusing connections")
        self.smtp.refuse()

    def smtp_resume(self, _: str = "") -> None:
        self.smtp.resume()
        self._close("smtp refusing connections")

    def smtp_fail(self, _: str = "") -> None:
        self._open("smtp answering 4xx")
        self.smtp.sink.failing = True

    def smtp_answer(self, _: str = "") -> None:
        self.smtp.sink.failing = False
        self._close("smtp answering 4xx")

    def pg_restart(self, _: str = "") -> None:
        assert self.pg is not None
        self._open("postgresql crashed")
        self.pg.restart()
        self._close("postgresql crashed")

    def cuts(self) -> list[tuple[str, float]]:
        """Every moment an accepted email's record could be lost: a notifier kill, the SMTP server
        stopping (its reply cut), PostgreSQL crashing (the commit that records it cut)."""
        found = [(f"notifier kill {i}", k.at)
                 for i, k in enumerate((k for k in self.kills if k.service == "notifier"), 1)]
        for what, name in (("smtp refusing connections", "SMTP server stop"),
                           ("postgresql crashed", "PostgreSQL crash")):
            found += [(f"{name} {i}", o.start)
                      for i, o in enumerate((o for o in self.outages if o.what == what), 1)]
        return sorted(found, key=lambda c: c[1])
