"""Amendments of a trial's plan: what changed, recorded with who, when and why."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from services.trials.domain.checks import Checker
from services.trials.domain.plan import Actor, Plan, parse_kpis


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


def amended_plan(
    current: Plan, check: Checker, *, running: bool, at: datetime, planned_start: Any,
    planned_end: Any, venue_id: Any, kpis: Any,
) -> Plan:
    """`current` with the changes given (UNSET: unchanged), each wrong one noted in `check`."""
    plan = current
    if venue_id is not UNSET:
        plan = replace(plan, venue_id=check.text("venue_id", venue_id, max_len=64) or plan.venue_id)
    if planned_start is not UNSET:
        start = check.moment("planned_start", planned_start, day="start")
        plan = replace(plan, planned_start=start or plan.planned_start)
    if planned_end is not UNSET:
        end = check.moment("planned_end", planned_end, day="end")
        plan = replace(plan, planned_end=end or plan.planned_end)
    if not plan.planned_start < plan.planned_end:
        check.fail("planned_end", "must be after planned_start")
    if running and planned_end is not UNSET and plan.planned_end <= at:
        check.fail("planned_end", "must be in the future while the trial is running")
    if kpis is not UNSET:
        plan = _amended_kpis(current, plan, check, kpis, running)
    return plan


def _amended_kpis(current: Plan, plan: Plan, check: Checker, kpis: Any, running: bool) -> Plan:
    """`plan` with new KPIs; once running none may be dropped or change its aggregate."""
    new_kpis = parse_kpis(kpis, check, current=current.kpis, aggregates_fixed=running)
    if not new_kpis:
        return plan
    if running:
        kept = {k.name.casefold() for k in new_kpis}
        for old in current.kpis:
            if old.name.casefold() not in kept:
                check.fail("kpis", f"cannot drop KPI {old.name!r} once the trial is running")
    return replace(plan, kpis=new_kpis)
