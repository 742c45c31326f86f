"""A field trial's public page: its plan, parties, amendments and every transition."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from innoportal.fields import is_record_id
from services.portal.adapters.upstream import NotFound, Upstream

MAX_ID = 64  # the trials service's own limit for a trial id
MOMENTS = ("planned_start", "planned_end")


def trial_path(trial_id: str, rest: str = "") -> str:
    """The trials API path of `trial_id`; NotFound (the 404 page) for what cannot be an id."""
    if not is_record_id(trial_id, MAX_ID):
        raise NotFound("trials", "trial_id: not a trial id")
    return f"/v1/trials/{quote(trial_id, safe='')}{rest}"


def party(parties: Iterable[Mapping[str, Any]], role: str) -> dict[str, Any]:
    """The wish or the solution side of a trial (an empty record when it is missing)."""
    return next((dict(p) for p in parties if p.get("role") == role), {"id": "", "role": role})


@dataclass(frozen=True)
class Change:
    """One field an amendment changed: which, how to read its values, before and after."""

    kind: str  # moment, venue, kpi or other
    field: str
    name: str  # the KPI's name for a kpi change
    before: Any
    after: Any


def change_of(raw: Mapping[str, Any]) -> Change:
    """How one recorded change of a plan reads."""
    name = str(raw.get("field", ""))
    before, after = raw.get("before"), raw.get("after")
    if name in MOMENTS:
        return Change("moment", name, "", before, after)
    if name == "venue_id":
        return Change("venue", name, "", before, after)
    if name.startswith("kpis[") and name.endswith("]"):
        return Change("kpi", name, name[5:-1], before, after)
    return Change("other", name, "", before, after)


@dataclass(frozen=True)
class Amendment:
    """A recorded amendment: when, by whom, why, and what it changed."""

    seq: int
    at: str
    by: Mapping[str, str]
    reason: str
    changes: list[Change] = field(default_factory=list)


def amendments_of(raw: Iterable[Mapping[str, Any]]) -> list[Amendment]:
    """A trial's or a report's amendments, ready to read."""
    return [Amendment(int(a.get("seq", 0)), a.get("at") or "", a.get("by") or {},
                      a.get("reason") or "", [change_of(c) for c in a.get("changes", [])])
            for a in raw]


@dataclass(frozen=True)
class TrialPage:
    """What a trial's page shows."""

    trial: dict[str, Any]
    wish: dict[str, Any]
    solution: dict[str, Any]
    amendments: list[Amendment]


async def show_trial(upstream: Upstream, language: str, trial_id: str) -> TrialPage:
    """A trial as the public sees it (the service leaves contact addresses out)."""
    trial = await upstream.get("trials", trial_path(trial_id), language=language)
    parties = trial.get("parties", [])
    return TrialPage(trial, party(parties, "wish"), party(parties, "solution"),
                     amendments_of(trial.get("amendments", [])))
