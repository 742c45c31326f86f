"""Counting a chaos run from outside: the services' public APIs (with an EMSD token, which sees
contact addresses), the JetStream stream read directly with nats-py, and every message the SMTP
server accepted. Nothing here reads a service's database.

Lost: a record answered 201 (or 200, 202) that is not there; a record without its event; a
decision, trial or report missing; an email due that never came; a message parked.
Doubled: a second event of a record (or one of a record that does not exist); a second Matched
of a (wish, solution) pair; an email that should not have been sent; a second copy of an email,
unless it is SMTP's own floor: the same Message-ID, resent after a crash (a notifier kill, the
SMTP server going away, PostgreSQL crashing under the notifier) that followed the first copy's
acceptance, at most one per SMTP connection per crash (the reply that was on its way on that
connection, or the commit recording it)."""

import asyncio
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import httpx

from contracts import STREAM_NAME, Subjects
from contracts.streams import PARKED_STREAM_NAME
from innoportal.testing.faulty_smtp import FaultySink, Mail, read_mail
from innoportal.testing.harness import stream_messages
from innoportal.testing.system import System

from .load import Ledger, Write

WISH = re.compile(r"/(?:en|zh-hk)/wishes/([A-Za-z0-9_-]+)")
SOLUTION = re.compile(r"/(?:en|zh-hk)/solutions/([A-Za-z0-9_-]+)")
REPORT = re.compile(r"/(?:en|zh-hk)/reports/([A-Za-z0-9_-]+)")
DATA_IN_FLIGHT_SECONDS = 2.0  # a crashed client's last message, still taken by the server
# The events the load causes; any other on the stream is doubled (caused by nobody).
CAUSED = (Subjects.WISH_POSTED, Subjects.SOLUTION_SUBMITTED, Subjects.MATCH_FOUND,
          Subjects.MATCH_DECIDED, Subjects.TRIAL_STARTED, Subjects.TRIAL_COMPLETED,
          Subjects.SIGN_IN_LINK_ISSUED)


@dataclass
class Tally:
    """What the audit counted."""

    records: Counter = field(default_factory=Counter)
    lost: Counter = field(default_factory=Counter)
    doubled: Counter = field(default_factory=Counter)
    floor: Counter = field(default_factory=Counter)  # resent copies (same Message-ID) per crash
    floor_connections: Counter = field(default_factory=Counter)  # connections those were on
    floor_ms: dict[str, list[float]] = field(default_factory=dict)  # first copy, ms before crash
    emails: int = 0
    events: int = 0
    exact_alert_pairs: int = 0  # (subscriber, wish) pairs due exactly once
    loose_alert_pairs: int = 0  # pairs whose order was not known: at most once
    problems: list[str] = field(default_factory=list)

    def lose(self, what: str, detail: str, n: int = 1) -> None:
        self.lost[what] += n
        self.problems.append(f"lost {what}: {detail}")

    def double(self, what: str, detail: str, n: int = 1) -> None:
        self.doubled[what] += n
        self.problems.append(f"doubled {what}: {detail}")

    def exactly(self, what: str, key: object, found: int, low: int = 1, high: int = 1) -> None:
        if found < low:
            self.lose(what, repr(key), low - found)
        elif found > high:
            self.double(what, repr(key), found - high)


@dataclass(frozen=True)
class Copy:
    """One accepted message."""

    at: float
    peer: tuple[str, int]
    message_id: str


def listed(client: httpx.Client, url: str, headers: dict[str, str]) -> list[dict]:
    """Every item of a paged list endpoint."""
    items: list[dict] = []
    while True:
        page = client.get(url, params={"limit": 100, "offset": len(items)}, headers=headers)
        page.raise_for_status()
        body = page.json()
        items += body["items"]
        if not body["items"] or len(items) >= body["total"]:
            return items


def events_of(nats_url: str, stream: str = STREAM_NAME) -> list[tuple[str, dict]]:
    """(subject, payload) of every message on `stream`."""
    return [(m.subject, json.loads(m.data)) for m in asyncio.run(stream_messages(nats_url, stream))]


def mail_key(mail: Mail) -> tuple:
    """(recipient, kind, what it is about) of an email, read from its headers and links."""
    if mail.kind == "wish_alert":
        about = _first(WISH, mail.text)
    elif mail.kind in ("match_found", "match_decided"):
        about = (_first(WISH, mail.text), _first(SOLUTION, mail.text))
    elif mail.kind == "trial_completed":
        about = _first(REPORT, mail.text)
    elif mail.kind in ("confirmation", "register_link"):
        about = mail.to
    else:
        about = mail.subject
    return mail.to, mail.kind, about


def _first(pattern: re.Pattern, text: str) -> str:
    found = pattern.search(text)
    return found.group(1) if found else "?"


@dataclass
class Seen:
    """What the audit reads: the APIs, the stream, and the load's own ledger (a copy)."""

    wishes: list[dict]
    solutions: list[dict]
    matches: list[dict]
    trials: list[dict]
    reports: dict[str, int]  # completed trial -> status of its report.json
    events: dict[str, list[dict]]  # subject -> payloads, in stream order
    parked: list[tuple[str, dict]]
    ledger: Ledger


def read(system: System, nats_url: str, ledger: Ledger) -> Seen:
    """Everything the services, the stream and the load's clients can tell."""
    emsd = system.auth("emsd", "EMSD")
    with httpx.Client(timeout=30) as client:
        lists = [listed(client, f"{system.url(service)}/v1/{path}", emsd) for service, path in (
            ("wishes", "wishes"), ("solutions", "solutions"), ("matcher", "matches"),
            ("trials", "trials"))]
        reports = {t["id"]: client.get(f"{system.url('trials')}/v1/trials/{t['id']}/report.json")
                   .status_code for t in lists[3] if t["state"] == "completed"}
    events: dict[str, list[dict]] = defaultdict(list)
    for subject, payload in events_of(nats_url):
        events[subject].append(payload)
    with ledger.lock:
        copy = Ledger(wishes=dict(ledger.wishes), solutions=dict(ledger.solutions),
                      subscribers=dict(ledger.subscribers),
                      registrations=dict(ledger.registrations),
                      decisions=dict(ledger.decisions), trials=dict(ledger.trials))
    return Seen(*lists, reports, events, events_of(nats_url, PARKED_STREAM_NAME), copy)


def audit(system: System, nats_url: str, sink: FaultySink, ledger: Ledger,
          cuts: list[tuple[str, float]]) -> Tally:
    """Count everything; `cuts` are the crashes that may cost a resend: (name, time.monotonic())."""
    tally = Tally()
    seen = read(system, nats_url, ledger)
    tally.events = sum(map(len, seen.events.values()))
    _records(tally, seen)
    _matches(tally, seen)
    _trials(tally, seen)
    _registrations(tally, seen)
    _emails(tally, _emails_due(tally, seen), sink, cuts)
    return tally


def _records(tally: Tally, seen: Seen) -> None:
    """Wishes and solutions: each answered 201 is there, each there has exactly one event."""
    for kind, rows, writes, subject in (
            ("wish", seen.wishes, seen.ledger.wishes, Subjects.WISH_POSTED),
            ("solution", seen.solutions, seen.ledger.solutions, Subjects.SOLUTION_SUBMITTED)):
        ids = {r["id"] for r in rows}
        tally.records[kind] = len(rows)
        for write in writes.values():
            if write.status == 201 and write.record_id not in ids:
                tally.lose(f"{kind} answered 201", write.key)
        published = Counter(p[kind]["id"] for p in seen.events[subject])
        # When each was answered (the run's clock), to set a lost event beside the faults.
        answered = {w.record_id: w.answered_at for w in writes.values() if w.record_id}
        for record_id in ids | set(published):
            there = int(record_id in ids)
            at = answered.get(record_id)
            tally.exactly(f"{subject} event", record_id if at is None else
                          f"{record_id} (answered at t={at:.1f})",
                          published[record_id], there, there)
    for subject, payload in seen.parked:
        tally.lose("parked message", f"{subject}: {str(payload)[:200]}")
    for subject, payloads in seen.events.items():
        if subject not in CAUSED and payloads:
            tally.double("event nobody caused", subject, len(payloads))


def _matches(tally: Tally, seen: Seen) -> None:
    """One Matched a match, at most one a (wish, solution) pair, one MatchDecided a decision."""
    status = {m["id"]: m["status"] for m in seen.matches}
    tally.records["match"] = len(status)
    tally.records["decision"] = sum(s != "pending" for s in status.values())
    found = Counter(p["match_id"] for p in seen.events[Subjects.MATCH_FOUND])
    decided = Counter(p["match_id"] for p in seen.events[Subjects.MATCH_DECIDED])
    for match_id in set(status) | set(found) | set(decided):
        there = int(match_id in status)
        tally.exactly("Matched event", match_id, found[match_id], there, there)
        due = int(status.get(match_id, "pending") != "pending")
        tally.exactly("MatchDecided event", match_id, decided[match_id], due, due)
    for what, pairs in (
            ("Matched of a (wish, solution) pair",
             Counter((p["wish_id"], p["solution_id"]) for p in seen.events[Subjects.MATCH_FOUND])),
            ("match of a (wish, solution) pair",
             Counter((m["wish_id"], m["solution_id"]) for m in seen.matches))):
        for pair, n in pairs.items():
            tally.exactly(what, pair, n, low=0)
    for match_id, decision in seen.ledger.decisions.items():
        if status.get(match_id) != decision:
            tally.lose("decision", f"{match_id}: {decision}, the matcher says "
                                   f"{status.get(match_id)}")


def _trials(tally: Tally, seen: Seen) -> None:
    """One TrialStarted a started trial, one TrialCompleted and a report a completed one."""
    state = {t["id"]: t["state"] for t in seen.trials}
    tally.records["trial"] = len(state)
    started = Counter(p["trial_id"] for p in seen.events[Subjects.TRIAL_STARTED])
    finished = Counter(p["trial_id"] for p in seen.events[Subjects.TRIAL_COMPLETED])
    for trial_id in set(state) | set(started) | set(finished):
        ran = int(state.get(trial_id) in ("running", "completed"))
        done = int(state.get(trial_id) == "completed")
        tally.exactly("TrialStarted event", trial_id, started[trial_id], ran, ran)
        tally.exactly("TrialCompleted event", trial_id, finished[trial_id], done, done)
    for run in seen.ledger.trials.values():
        if run.completed_at is not None and state.get(run.trial_id) != "completed":
            tally.lose("completed trial", f"{run.trial_id} is {state.get(run.trial_id)}")
        if run.opened is not None and run.opened.status == 201 and run.trial_id not in state:
            tally.lose("trial answered 201", str(run.trial_id))
    for trial_id, code in seen.reports.items():
        if code != 200:
            tally.lose("report of a completed trial", f"{trial_id}: {code}")
    tally.records["report"] = sum(code == 200 for code in seen.reports.values())


def _registrations(tally: Tally, seen: Seen) -> None:
    """One SignInLinkIssued a registration the portal answered."""
    registrations = seen.ledger.registrations
    links = Counter(p["email"] for p in seen.events[Subjects.SIGN_IN_LINK_ISSUED])
    tally.records["registration"] = sum(w.status == 200 for w in registrations.values())
    for address in set(registrations) | set(links):
        low, high = _answered(registrations.get(address), 200)
        tally.exactly("SignInLinkIssued event", address, links[address], low, high)


def _answered(write: Write | None, ok: int) -> tuple[int, int]:
    """(at least, at most) of what a write causes: once if answered `ok`, at most once if its
    answer was lost, never if refused (or never sent)."""
    if write is None:
        return 0, 0
    return int(write.status == ok), int(write.status == ok or write.unknown)


def _emails_due(tally: Tally, seen: Seen) -> dict[tuple, tuple[int, int]]:
    """(recipient, kind, about) -> (at least, at most) copies."""
    due: dict[tuple, tuple[int, int]] = {}
    subscribers = seen.ledger.subscribers
    tally.records["subscription"] = sum(s.write.status == 202 for s in subscribers.values())
    tally.records["confirmed subscriber"] = sum(s.confirmed_at is not None
                                                for s in subscribers.values())
    for address, sub in subscribers.items():
        due[(address, "confirmation", address)] = _answered(sub.write, 202)
    sent_at = {w.key: w.sent_at for w in seen.ledger.wishes.values()}
    for wish in seen.wishes:
        posted = sent_at[wish["contact_email"]]
        for address, sub in subscribers.items():
            if not set(sub.categories) & set(wish["categories"]) or sub.confirm_sent_at is None:
                continue  # not matching, or never asked to confirm: nothing is due
            if sub.confirmed_at is not None and posted > sub.confirmed_at:
                due[(address, "wish_alert", wish["id"])] = (1, 1)  # posted once confirmed
                tally.exact_alert_pairs += 1
            else:  # posted before or while it was confirmed: one alert or none
                due[(address, "wish_alert", wish["id"])] = (0, 1)
                tally.loose_alert_pairs += 1
    for kind, subject in (("match_found", Subjects.MATCH_FOUND),
                          ("match_decided", Subjects.MATCH_DECIDED)):
        for p in seen.events[subject]:
            for side in ("wish", "solution"):
                due[(p[side]["contact_email"], kind, (p["wish_id"], p["solution_id"]))] = (1, 1)
    for p in seen.events[Subjects.TRIAL_COMPLETED]:
        for party in p["parties"]:
            due[(party["contact_email"], "trial_completed", p["trial_id"])] = (1, 1)
    for address, write in seen.ledger.registrations.items():
        due[(address, "register_link", address)] = _answered(write, 200)
    return due


def _emails(tally: Tally, due: dict[tuple, tuple[int, int]], sink: FaultySink,
            cuts: list[tuple[str, float]]) -> None:
    """Every email the SMTP server accepted against what was due."""
    copies: dict[tuple, list[Copy]] = defaultdict(list)
    for accepted, raw in sink.snapshot():
        mail = read_mail(raw)
        copies[mail_key(mail)].append(Copy(accepted.at, accepted.peer, mail.message_id))
        tally.emails += 1
    for key in set(due) | set(copies):
        low, high = due.get(key, (0, 0))
        got = sorted(copies.get(key, []), key=lambda c: c.at)
        if len(got) < low:
            tally.lose(f"{key[1]} email", repr(key), low - len(got))
        if high == 0 and got:
            tally.double(f"{key[1]} email nobody was due", repr(key), len(got))
        elif len(got) > high:
            _resends(tally, key, got, cuts)


def _resends(tally: Tally, key: tuple, got: list[Copy], cuts: list[tuple[str, float]]) -> None:
    """Copies after the first: SMTP's floor when each follows a crash after the copy before it,
    with the same Message-ID, at most one per connection per crash; else doubled.

    The copy before may be accepted a little after the crash (DATA_IN_FLIGHT_SECONDS): a client
    killed right after sending a message's last line has still sent it, and the server takes it
    from its socket buffer before seeing the connection close."""
    for before, copy in zip(got, got[1:], strict=False):
        cut = next(((name, at) for name, at in cuts
                    if before.at - DATA_IN_FLIGHT_SECONDS <= at <= copy.at), None)
        slot = (cut and cut[0], before.peer)
        if (copy.message_id == got[0].message_id and cut is not None
                and slot not in tally.floor_connections):
            tally.floor[cut[0]] += 1
            tally.floor_connections[slot] += 1
            tally.floor_ms.setdefault(cut[0], []).append(1000 * (cut[1] - before.at))
        else:
            why = ("another Message-ID" if copy.message_id != got[0].message_id else
                   f"no crash between the copies (accepted at {before.at:.1f} and {copy.at:.1f}, "
                   f"crashes at {', '.join(f'{at:.1f}' for _, at in cuts)})" if cut is None else
                   f"a second resend on one connection for one crash ({cut[0]}; first copy "
                   f"accepted {1000 * (cut[1] - before.at):.0f} ms before it, on client port "
                   f"{before.peer[1]})")
            tally.double(f"{key[1]} email", f"{key!r}: {why}")
