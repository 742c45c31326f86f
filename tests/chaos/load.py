"""The load of the chaos suite, as people make it, through HTTP only: departments post wishes,
providers submit solutions and register on the portal, people subscribe and confirm by the emailed
link, EMSD decides matches, and trials run from the accepted ones to their reports.

Every call's outcome is written down for the audit: answered (with its status), or unknown (no
answer: the service died or timed out, so the write may or may not have happened). A write whose
outcome is unknown is never blindly sent again (that would make a second record on purpose); the
next step reads back what happened instead."""

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

import httpx

from innoportal.testing.faulty_smtp import FaultySink, read_mail
from innoportal.testing.system import System
from portal.scenario import (
    CLOSED_WISH,
    KPIS,
    LEAK_SOLUTION,
    LEAK_WISH,
    LIFT_SOLUTION,
    LIFT_WISH,
    ROBOT_SOLUTION,
    TOILET_WISH,
    VENUE,
)
from portal.signin import csrf_of

WISHES = ((LIFT_WISH, "ArchSD"), (LEAK_WISH, "WSD"), (TOILET_WISH, "FEHD"), (CLOSED_WISH, "EMSD"))
SOLUTIONS = ((LIFT_SOLUTION, "HKUST"), (LEAK_SOLUTION, "CityU"), (ROBOT_SOLUTION, "PolyU"))
# Every category the wishes above use, and one none of them does.
CATEGORIES = ("building-services", "iot-sensors", "ai-data-analytics", "environmental-monitoring",
              "renewable-energy", "energy-efficiency", "robotics-automation")
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
_CONFIRM = re.compile(r"/subscribe/confirm\?token=([^\s<>\"&]+)")


def call(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response | None:
    """The answer, or None when there was none (refused, cut, timed out)."""
    try:
        return client.request(method, url, **kwargs)
    except httpx.HTTPError:
        return None


@dataclass
class Write:
    """One write: when it was sent, and what came back (status None: no answer)."""

    key: str  # our own name for it: a contact email, an address
    sent_at: float
    status: int | None = None
    answered_at: float | None = None
    record_id: str | None = None

    @property
    def unknown(self) -> bool:
        """No answer, or a 5xx: it may have happened."""
        return self.status is None or self.status >= 500


@dataclass
class Subscriber:
    """A subscription asked for, and its confirmation."""

    write: Write
    categories: tuple[str, ...]
    language: str
    token: str | None = None
    confirm_sent_at: float | None = None  # first attempt to confirm
    confirmed_at: float | None = None  # first 200 to it


@dataclass
class TrialRun:
    """A trial of an accepted match, step by step."""

    match_id: str
    trial_id: str | None = None
    opened: Write | None = None
    started_at: float | None = None
    measured: bool = False
    completed_at: float | None = None


@dataclass
class Ledger:
    """What the load did, as its clients saw it (thread-safe: one lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    wishes: dict[str, Write] = field(default_factory=dict)  # by contact email
    solutions: dict[str, Write] = field(default_factory=dict)  # by contact email
    subscribers: dict[str, Subscriber] = field(default_factory=dict)  # by address
    registrations: dict[str, Write] = field(default_factory=dict)  # by address
    decisions: dict[str, str] = field(default_factory=dict)  # match id -> accepted / rejected
    trials: dict[str, TrialRun] = field(default_factory=dict)  # by match id
    calls: int = 0
    no_answer: int = 0


class Load:
    """The load's threads: start(), stop_creating() when the faults end, wait until unfinished()
    is empty (every pipeline it began is through: confirmations, decisions, trials), stop()."""

    def __init__(self, system: System, sink: FaultySink, *, accept_max: int,
                 venue_id: str) -> None:
        self.system, self.sink = system, sink
        self.ledger = Ledger()
        self.accept_max, self.venue_id = accept_max, venue_id
        self.creating = threading.Event()
        self.running = threading.Event()
        self.threads: list[threading.Thread] = []
        self.errors: list[str] = []
        self._mail_seen = 0
        self._mail_lock = threading.Lock()
        self.pending_matches = True  # until the matcher's list says there are none
        self._numbers = {kind: count(1) for kind in ("wish", "solution", "subscriber",
                                                      "registration")}

    # --- running --------------------------------------------------------------------------

    def start(self) -> None:
        self.creating.set()
        self.running.set()
        for name, loop, every in (("wishes", self._wish, 1.0), ("solutions", self._solution, 1.0),
                                  ("subscribers", self._subscriber, 1.5),
                                  ("registrations", self._registration, 2.5),
                                  ("decisions", self._decision, 1.5),
                                  ("trials", self._trial_step, 0.5)):
            thread = threading.Thread(target=self._forever, args=(name, loop, every),
                                      name=f"load-{name}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop_creating(self) -> None:
        """No new wishes, solutions, subscriptions, registrations or decisions."""
        self.creating.clear()

    def unfinished(self) -> list[str]:
        """What the load still waits for: unconfirmed subscribers whose email came, trials not
        completed, decisions while matches wait for them."""
        self._read_mail()
        with self.ledger.lock:
            waiting = [f"confirm {a}" for a, s in self.ledger.subscribers.items()
                       if s.token and s.confirmed_at is None]
            waiting += [f"trial of {m}" for m, t in self.ledger.trials.items()
                        if t.completed_at is None]
        if self.pending_matches and self._decisions_due():
            waiting.append("EMSD's decisions")
        return waiting

    def stop(self) -> None:
        self.creating.clear()
        self.running.clear()
        for thread in self.threads:
            thread.join(timeout=60)

    def _forever(self, name: str, step: Callable[[httpx.Client], None], every: float) -> None:
        with httpx.Client(timeout=TIMEOUT) as client:
            while self.running.is_set():
                try:
                    step(client)
                except Exception as exc:  # noqa: BLE001 - a load bug must show, not hang
                    self.errors.append(f"{name}: {exc!r}")
                time.sleep(every)

    def _write(self, client: httpx.Client, key: str, method: str, url: str, **kwargs) -> tuple[
            Write, httpx.Response | None]:
        write = Write(key, time.monotonic())
        answer = call(client, method, url, **kwargs)
        write.answered_at = time.monotonic()
        with self.ledger.lock:
            self.ledger.calls += 1
            self.ledger.no_answer += answer is None
        if answer is not None:
            write.status = answer.status_code
            json_body = "json" in answer.headers.get("content-type", "")
            if answer.status_code in (200, 201) and json_body:
                write.record_id = answer.json().get("id")
        return write, answer

    # --- departments and providers ----------------------------------------------------------

    def _wish(self, client: httpx.Client) -> None:
        self._record(client, "wish", "wishes", WISHES, "department", "gov.hk", self.ledger.wishes)

    def _solution(self, client: httpx.Client) -> None:
        self._record(client, "solution", "solutions", SOLUTIONS, "provider", "edu.hk",
                     self.ledger.solutions)

    def _record(self, client: httpx.Client, kind: str, service: str, bodies: tuple, role: str,
                domain: str, book: dict[str, Write]) -> None:
        """POST the next of `bodies` in turn, with a contact address of its own (its name)."""
        if not self.creating.is_set():
            return
        n = next(self._numbers[kind])
        body, org = bodies[n % len(bodies)]
        contact = f"{kind}-{n:04d}@{org.lower()}.example.{domain}"
        write, _ = self._write(client, contact, "POST", f"{self.system.url(service)}/v1/{service}",
                               json={**body, "contact_email": contact},
                               headers=self.system.auth(role, org))
        with self.ledger.lock:
            book[contact] = write

    def _registration(self, client: httpx.Client) -> None:
        """A provider registers on the portal; its link comes by email (portal outbox, notifier)."""
        if not self.creating.is_set():
            return
        n = next(self._numbers["registration"])
        address = f"register-{n:04d}@provider{n}.example.com"
        with httpx.Client(timeout=TIMEOUT) as browser:  # a browser of its own: cookie and CSRF
            page = call(browser, "GET", self.system.url("portal") + "/en/register")
            if page is None or page.status_code != 200:
                return  # nothing was asked
            write, _ = self._write(browser, address, "POST",
                                   self.system.url("portal") + "/en/register",
                                   data={"email": address, "org": f"Provider {n}",
                                         "csrf_token": csrf_of(page.text)})
        with self.ledger.lock:
            self.ledger.registrations[address] = write

    # --- subscribers --------------------------------------------------------------------------

    def _subscriber(self, client: httpx.Client) -> None:
        if self.creating.is_set():
            n = next(self._numbers["subscriber"])
            address = f"subscriber-{n:04d}@example.org"
            categories = (CATEGORIES[n % len(CATEGORIES)],)
            if n % 4 == 0:
                categories += (CATEGORIES[(n + 3) % len(CATEGORIES)],)
            language = "zh-HK" if n % 3 == 0 else "en"
            write, _ = self._write(client, address, "POST",
                                   self.system.url("notifier") + "/v1/subscriptions",
                                   json={"email": address, "categories": list(categories),
                                         "language": language, "frequency": "instant"})
            with self.ledger.lock:
                self.ledger.subscribers[address] = Subscriber(write, categories, language)
        self._confirm_arrived(client)

    def _read_mail(self) -> None:
        """Take the confirmation link of every confirmation email that arrived."""
        with self._mail_lock:
            mails = self.sink.snapshot(self._mail_seen)
            self._mail_seen += len(mails)
        for _, raw in mails:
            if b"X-InnoPortal-Kind: confirmation" not in raw:
                continue
            mail = read_mail(raw)
            found = _CONFIRM.search(mail.text)
            with self.ledger.lock:
                sub = self.ledger.subscribers.get(mail.to)
                if sub is not None and found and sub.token is None:
                    sub.token = found.group(1)

    def _confirm_arrived(self, client: httpx.Client) -> None:
        self._read_mail()
        with self.ledger.lock:
            due = [s for s in self.ledger.subscribers.values() if s.token and not s.confirmed_at]
        for sub in due:
            now = time.monotonic()
            if sub.confirm_sent_at is None:
                sub.confirm_sent_at = now
            answer = call(client, "GET", self.system.url("notifier") + "/v1/subscriptions/confirm",
                          params={"token": sub.token}, headers={"Accept": "application/json"})
            if answer is not None and answer.status_code == 200:
                sub.confirmed_at = time.monotonic()

    # --- EMSD ----------------------------------------------------------------------------------

    def _decisions_due(self) -> bool:
        """Whether EMSD has yet to accept `accept_max` matches and reject two."""
        with self.ledger.lock:
            made = Counter(self.ledger.decisions.values())
        return made["accepted"] < self.accept_max or made["rejected"] < 2

    def _decision(self, client: httpx.Client) -> None:
        """EMSD decides pending matches, a few at a time: accepts until `accept_max` are, then
        rejects. It goes on after the faults until it has decided that many (on a loaded machine
        matches may come late)."""
        if not self.creating.is_set() and not self._decisions_due():
            return
        matcher = self.system.url("matcher")
        emsd = self.system.auth("emsd", "EMSD")
        listed = call(client, "GET", matcher + "/v1/matches",
                      params={"status": "pending", "limit": 20}, headers=emsd)
        if listed is None or listed.status_code != 200:
            return
        pending = [m["id"] for m in listed.json()["items"] if m["id"] not in self.ledger.decisions]
        self.pending_matches = bool(pending)
        for match_id in pending[:3]:
            self._decide(client, match_id)

    def _decide(self, client: httpx.Client, match_id: str) -> None:
        matcher = self.system.url("matcher")
        emsd = self.system.auth("emsd", "EMSD")
        with self.ledger.lock:
            accepted = sum(d == "accepted" for d in self.ledger.decisions.values())
        verb, body = (("accept", {"reason": "Worth a field trial"}) if accepted < self.accept_max
                      else ("reject", {"reason": "Not this year"}))
        answer = call(client, "POST", f"{matcher}/v1/matches/{match_id}/{verb}", json=body,
                      headers=emsd)
        if answer is None or answer.status_code != 200:
            # It may have happened: read it back (a match still pending comes round again).
            answer = call(client, "GET", f"{matcher}/v1/matches/{match_id}", headers=emsd)
        status = answer.json()["status"] if answer is not None and answer.status_code == 200 else ""
        if status in ("accepted", "rejected"):
            with self.ledger.lock:
                self.ledger.decisions[match_id] = status
                if status == "accepted":
                    self.ledger.trials[match_id] = TrialRun(match_id)

    def _trial_step(self, client: httpx.Client) -> None:
        """One step of each trial not completed: open, start, measure, complete."""
        with self.ledger.lock:
            runs = [t for t in self.ledger.trials.values() if t.completed_at is None]
        for run in runs:
            self._advance(client, run)

    def _advance(self, client: httpx.Client, run: TrialRun) -> None:
        trials = self.system.url("trials")
        emsd = self.system.auth("emsd", "EMSD")
        if run.trial_id is None:
            if run.opened is not None and run.opened.unknown:
                found = call(client, "GET", trials + "/v1/trials",
                             params={"match_id": run.match_id})
                if found is None or found.status_code != 200:
                    return
                if found.json()["items"]:
                    run.trial_id = found.json()["items"][0]["id"]
                    return
            now = datetime.now(UTC)
            plan = {"match_id": run.match_id, "venue_id": self.venue_id,
                    "planned_start": (now - timedelta(minutes=5)).isoformat(),
                    "planned_end": (now + timedelta(days=30)).isoformat(), "kpis": KPIS}
            run.opened, _ = self._write(client, run.match_id, "POST", trials + "/v1/trials",
                                        json=plan, headers=emsd)
            run.trial_id = run.opened.record_id if run.opened.status == 201 else None
            return  # 409 until trials has heard of the decision: next round
        base = f"{trials}/v1/trials/{run.trial_id}"
        if run.started_at is None:
            if self._moved(client, base + "/start", None, base, ("running", "completed")):
                run.started_at = time.monotonic()
            return
        if not run.measured:
            if time.monotonic() - run.started_at < 1.2:
                return  # a measurement must fall after the actual start
            done = [call(client, "POST", base + "/measurements", headers=emsd,
                         json={"kpi": kpi["name"], "value": kpi["target"]}) for kpi in KPIS]
            run.measured = all(a is not None and a.status_code == 201 for a in done)
            return
        if self._moved(client, base + "/complete", {"summary": "Met every target under chaos."},
                       base, ("completed",)):
            run.completed_at = time.monotonic()

    def _moved(self, client: httpx.Client, url: str, body: dict | None, read: str,
               states: tuple[str, ...]) -> bool:
        """POST a transition; when its answer is lost or refused, whether the trial is there."""
        emsd = self.system.auth("emsd", "EMSD")
        answer = call(client, "POST", url, json=body, headers=emsd)
        if answer is not None and answer.status_code == 200:
            return True
        answer = call(client, "GET", read)
        return answer is not None and answer.status_code == 200 and answer.json()["state"] in states


def make_venue(system: System) -> str:
    """A venue that hosts several trials at once (made before any fault)."""
    with httpx.Client(timeout=TIMEOUT) as client:
        answer = client.post(system.url("trials") + "/v1/venues",
                             json={**VENUE, "name_en": "Chaos test hall", "concurrent": True},
                             headers=system.auth("emsd", "EMSD"))
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]
