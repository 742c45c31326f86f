"""Field trials in the workspace: lists, opening a trial of an accepted match, its lifecycle, and
measurements (one at a time, or a CSV file as one all-or-nothing batch).

The trials API decides every rule and role; this module shapes forms into its bodies, waits out
the moment before trials hears of an accept, and puts its answers beside the form's fields.
"""

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from innoportal.fields import is_record_id
from services.portal.adapters.upstream import NotFound, Rejected, Upstream
from services.portal.domain.language import Language
from services.portal.domain.measurements_csv import number_of
from services.portal.domain.records import shown
from services.portal.domain.texts import translate
from services.portal.service.gather import settle
from services.portal.service.listing import Listing, fetch_page
from services.portal.service.my_venues import Problems
from services.portal.service.trials import trial_path
from services.portal.service.wishes import unless_missing

DONE = ("opened", "started", "completed", "terminated", "recorded", "uploaded", "corrected")
log = logging.getLogger("innoportal.portal.trials")
KPI_ROWS = 5  # rows of the plan form; empty ones are ignored
KPI_FIELDS = ("name", "unit", "baseline", "target", "direction", "aggregate")
PLAN_FIELDS = ("venue_id", "planned_start", "planned_end")
MOST_MATCHES = 100  # the APIs' largest page
RECENT_READINGS = 10
OPEN_WAIT = 6.0  # seconds to wait for trials to hear of an accept (it usually takes well under one)


def kpi_name(row: int, name: str) -> str:
    """A KPI row's form field: kpis-0-name."""
    return f"kpis-{row}-{name}"


def typed_kpis(form: Mapping[str, Any]) -> list[dict[str, str]]:
    """The plan form's KPI rows, as typed."""
    return [{name: str(form.get(kpi_name(row, name), "")) for name in KPI_FIELDS}
            for row in range(KPI_ROWS)]


def plan_body(match_id: str, typed: Mapping[str, Any],
              kpis: list[dict[str, str]]) -> tuple[dict[str, Any], list[int]]:
    """The trials API's body for a plan, and the form row of each KPI it sends (empty rows are
    left out; a figure that is not a number goes as null, for the API to name)."""
    rows = [n for n, row in enumerate(kpis)
            if any(row[name].strip() for name in ("name", "unit", "baseline", "target"))]
    sent = []
    for n in rows:
        row = kpis[n]
        sent.append({"name": row["name"], "unit": row["unit"],
                     "baseline": number_of(row["baseline"]), "target": number_of(row["target"]),
                     "direction": row["direction"], "aggregate": row["aggregate"] or None})
    plan = {name: str(typed.get(name, "")).strip() for name in PLAN_FIELDS}
    body = {"match_id": match_id, **plan, "kpis": sent}
    return body, rows


def plan_field(rows: list[int]):
    """Where the trials API's errors go on the plan form: kpis[1].name beside its row's field."""
    def form_field(name: str) -> str | None:
        if name in PLAN_FIELDS or name == "kpis":
            return name
        head, _, rest = name.partition("].")
        if head.startswith("kpis[") and head[5:].isdigit() and int(head[5:]) < len(rows):
            return kpi_name(rows[int(head[5:])], rest) if rest in KPI_FIELDS else "kpis"
        return None
    return form_field


def csv_summary(lines: list[tuple[int, str, Any]], language: Language) -> Problems:
    """A refused file beside the file field: how many problems, and that nothing was stored."""
    key = "my_trials.csv.refused_one" if len(lines) == 1 else "my_trials.csv.refused"
    return Problems({"file": translate(key, language, count=len(lines))})


def undecided(exc: Rejected) -> bool:
    """Whether trials has not heard of the match's acceptance yet (409 MatchNotAccepted)."""
    return exc.status == 409 and any(e.get("type") == "MatchNotAccepted" for e in exc.errors)


def booking_conflict(exc: Rejected) -> bool:
    """Whether trials refused the plan because the venue is booked then."""
    return exc.status == 409 and any(e.get("type") == "BookingConflict" for e in exc.errors)


async def open_trial(upstream: Upstream, language: str, token: str, body: dict[str, Any],
                     wait: float = OPEN_WAIT) -> dict[str, Any]:
    """Open the trial; while trials has not heard of the accept yet, try again with a short
    backoff for up to `wait` seconds (then Rejected, as trials answered)."""
    deadline, delay, tries = time.monotonic() + wait, 0.1, 1
    while True:
        try:
            answer = await upstream.post("trials", "/v1/trials", json=body, token=token,
                                         language=language)
        except Rejected as exc:
            if not undecided(exc) or time.monotonic() + delay > deadline:
                raise
        else:
            if tries > 1:
                log.info("trials heard of match %s's acceptance after %d tries", body.get(
                    "match_id"), tries)
            return answer
        await asyncio.sleep(delay)
        delay, tries = min(delay * 2, 1.0), tries + 1


def match_path(match_id: str) -> str:
    """The matcher's path of a match; NotFound for what cannot be an id."""
    if not is_record_id(match_id):
        raise NotFound("matcher", "match_id: not a match id")
    return f"/v1/matches/{quote(match_id, safe='')}"


async def match_of(upstream: Upstream, language: str, token: str, match_id: str) -> dict[str, Any]:
    """A match as EMSD sees it (NotFound when there is none)."""
    return await upstream.get("matcher", match_path(match_id), token=token, language=language)


async def find_trials(upstream: Upstream, language: str, filters: dict[str, Any], *, page: int,
                      size: int) -> Listing:
    """Trials, newest first, by state (and party_org: a provider's own)."""
    return await fetch_page(upstream, "trials", "/v1/trials", filters=filters, number=page,
                            size=size, language=language)


@dataclass(frozen=True)
class Awaiting:
    """Accepted matches with no trial under way or done (None: a service did not answer)."""

    matches: list[dict[str, Any]] | None
    more: bool = False  # more accepted matches than were looked at


async def awaiting_trials(upstream: Upstream, language: str, token: str) -> Awaiting:
    """The accepted matches that have no trial, or only terminated ones, best score first."""
    first, _ = await settle({"matches": upstream.get(
        "matcher", "/v1/matches", params={"status": "accepted", "limit": MOST_MATCHES},
        token=token, language=language)})
    page = first["matches"]
    if page is None:
        return Awaiting(None)
    calls = {m["id"]: upstream.get("trials", "/v1/trials", language=language, params={
        "match_id": m["id"], "limit": MOST_MATCHES}) for m in page["items"]}
    trials, down = await settle(calls)
    if down:
        return Awaiting(None)
    free = [m for m in page["items"]
            if all(t.get("state") == "terminated" for t in trials[m["id"]]["items"])]
    return Awaiting(free, page["total"] > len(page["items"]))


@dataclass(frozen=True)
class TrialView:
    """A trial for its workspace page, its latest readings (None: not known), and the summary
    of its latest published report."""

    trial: dict[str, Any]
    readings: list[dict[str, Any]] | None
    reading_total: int = 0
    summary: str | None = None


def title_of(trial: Mapping[str, Any], language: Language) -> str:
    """A trial's name as plain text (for the page's title): its solution's title, else its id."""
    solution = next((p for p in trial.get("parties", []) if p.get("role") == "solution"), {})
    found = shown(solution, "title", language)
    return found.text if found else str(trial.get("id", ""))


def solution_org(trial: Mapping[str, Any]) -> str:
    """The organisation whose solution is trialled."""
    return next((p.get("owner_org", "") for p in trial.get("parties", [])
                 if p.get("role") == "solution"), "")


async def trial_view(upstream: Upstream, language: str, trial_id: str) -> TrialView:
    """A trial, its latest readings (newest first) and its report's summary, as corrected."""
    trial = await upstream.get("trials", trial_path(trial_id), language=language)
    calls = {"readings": upstream.get("trials", trial_path(trial_id, "/measurements"),
                                      language=language)} if trial.get("measurement_count") else {}
    if trial.get("report"):
        calls["report"] = unless_missing(upstream.get(
            "trials", trial_path(trial_id, "/report.json"), language=language))
    found, _ = await settle(calls)
    summary = (found.get("report") or {}).get("summary") or trial.get("summary")
    if "readings" not in found:
        return TrialView(trial, [], 0, summary)
    items = (found["readings"] or {}).get("items")
    if items is None:
        return TrialView(trial, None, 0, summary)
    return TrialView(trial, list(reversed(items))[:RECENT_READINGS], len(items), summary)


async def act(upstream: Upstream, language: str, token: str, trial_id: str, action: str,
              body: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST an action of a trial (start, complete, terminate, report/corrections,
    measurements, measurements/batch) with the person's token."""
    return await upstream.post("trials", trial_path(trial_id, f"/{action}"), json=body or {},
                               token=token, language=language)


def direction_missing(problems: Problems, kpis: list[dict[str, str]], language: Language) -> None:
    """A row without a direction says so in the reader's words (the API names its two values)."""
    for row, typed in enumerate(kpis):
        name = kpi_name(row, "direction")
        if name in problems.fields and not typed["direction"]:
            problems.fields[name] = translate("my_trials.kpi.direction_missing", language)


def done_of(query: Mapping[str, str]) -> dict[str, Any] | None:
    """What the action just done was (Post/Redirect/Get), from the query string."""
    if query.get("done") not in DONE:
        return None
    number = query.get("n", "")
    return {"what": query["done"],
            "n": int(number) if number.isdigit() and len(number) < 7 else None}
