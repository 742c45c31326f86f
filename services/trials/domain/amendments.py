"""Amendments of a trial's plan: what changed, recorded with who, when and why."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.trials.domain.plan import Actor, Plan


@dataclass(frozen=True)
class Change:
    """One field of the plan changed by an amendment (values JSON-ready)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Amendment:
    """A recorded change of the plan: who, when, what and why."""

    seq: int
    by: Actor
    at: datetime
    reason: str
    changes: tuple[Change, ...]

    def changed(self, name: str) -> bool:
        """Whether a field (or a KPI, for name 'kpis') was changed."""
        return any(c.field == name or c.field.startswith(f"{name}[") for c in self.changes)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z."""
    return moment.isoformat().replace("+00:00", "Z")


def diff(old: Plan, new: Plan) -> tuple[Change, ...]:
    """The changes from one plan to the next: venue, window, each KPI added, changed, dropped."""
    changes = []
    if old.venue_id != new.venue_id:
        changes.append(Change("venue_id", old.venue_id, new.venue_id))
    for name in ("planned_start", "planned_end"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change(name, iso(before), iso(after)))
    olds = {k.name.casefold(): k for k in old.kpis}
    news = {k.name.casefold(): k for k in new.kpis}
    for key, kpi in olds.items():
        if key not in news:
            changes.append(Change(f"kpis[{kpi.name}]", kpi.as_dict(), None))
        elif news[key] != kpi:
            changes.append(Change(f"kpis[{kpi.name}]", kpi.as_dict(), news[key].as_dict()))
    for key, kpi in news.items():
        if key not in olds:
            changes.append(Change(f"kpis[{kpi.name}]", None, kpi.as_dict()))
    return tuple(changes)
