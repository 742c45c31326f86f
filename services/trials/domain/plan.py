"""Who acts, the match a trial comes from, and the plan fixed before the trial starts."""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Literal

from services.trials.domain.checks import Checker, get

Role = Literal["department", "provider", "emsd"]
Direction = Literal["increase", "decrease"]
DIRECTIONS: tuple[str, ...] = ("increase", "decrease")
# How a KPI's readings are summarised into its result (services/trials/domain/results.py).
Aggregate = Literal["mean", "median", "last", "min", "max"]
AGGREGATES: tuple[str, ...] = ("mean", "median", "last", "min", "max")
DEFAULT_AGGREGATE: Aggregate = "mean"
MAX_KPIS = 20


@dataclass(frozen=True)
class Actor:
    """Who does something: an organisation acting in a role (from the bearer token)."""

    org: str
    role: Role

    @property
    def is_emsd(self) -> bool:
        """Whether this is an EMSD officer."""
        return self.role == "emsd"


@dataclass(frozen=True)
class Party:
    """One side of the trialled match: the wish (department) or the solution (provider)."""

    role: Literal["wish", "solution"]
    id: str
    title_en: str | None
    title_zh: str | None
    contact_email: str
    owner_org: str

    def as_dict(self) -> dict[str, Any]:
        """Every field, as stored and as events carry it."""
        return asdict(self)

    def public_dict(self) -> dict[str, Any]:
        """What the public sees of a party: no contact address."""
        return {k: v for k, v in self.as_dict().items() if k != "contact_email"}


@dataclass(frozen=True)
class MatchFacts:
    """The facts of an accepted match that a trial needs; acceptance is checked by the service."""

    match_id: str
    wish: Party
    solution: Party

    @property
    def provider_org(self) -> str:
        """The organisation whose solution is trialled."""
        return self.solution.owner_org


@dataclass(frozen=True)
class Kpi:
    """A KPI: baseline, target, which way is better, and how its readings are summarised."""

    name: str
    unit: str
    baseline: float
    target: float
    direction: Direction
    aggregate: Aggregate = DEFAULT_AGGREGATE

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "unit": self.unit,
            "baseline": self.baseline,
            "target": self.target,
            "direction": self.direction,
            "aggregate": self.aggregate,
        }


@dataclass(frozen=True)
class Plan:
    """Where, when and against what a trial is judged."""

    venue_id: str
    planned_start: datetime
    planned_end: datetime
    kpis: tuple[Kpi, ...]

    def kpi(self, name: str) -> Kpi | None:
        """The KPI called `name` (case and surrounding space ignored), or None."""
        key = name.strip().casefold() if isinstance(name, str) else None
        return next((k for k in self.kpis if k.name.casefold() == key), None)

    def unknown_kpi(self) -> str:
        """What to say of a name that is none of this plan's KPIs."""
        return f"is not a KPI of this trial (known: {', '.join(k.name for k in self.kpis)})"


def parse_kpis(
    raw: Any,
    check: Checker,
    field: str = "kpis",
    *,
    current: Sequence[Kpi] = (),
    aggregates_fixed: bool = False,
) -> tuple[Kpi, ...]:
    """Validate a list of KPI mappings/objects, recording problems as `kpis[i].field`.

    A KPI without an aggregate keeps the one of the `current` KPI of its name (else the mean);
    with `aggregates_fixed` (a running trial) a current KPI's aggregate may not change."""
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        check.fail(field, "must be a list of KPIs")
        return ()
    if not raw:
        check.fail(field, "needs at least one KPI: a trial without success criteria cannot end")
        return ()
    if len(raw) > MAX_KPIS:
        check.fail(field, f"at most {MAX_KPIS} KPIs (got {len(raw)})")
        return ()
    known = {k.name.casefold(): k for k in current}
    kpis: list[Kpi] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        at = f"{field}[{i}]"
        name, kpi = _parse_kpi(item.as_dict() if isinstance(item, Kpi) else item, at, check)
        if name is not None:
            if (first := seen.get(name.casefold())) is not None:
                check.fail(f"{at}.name", f"repeats the name of kpis[{first}]")
            seen.setdefault(name.casefold(), i)
        if kpi is not None:
            kpis.append(_with_aggregate(kpi, get(item, "aggregate"), known.get(name.casefold()),
                                        f"{at}.aggregate", check, aggregates_fixed))
    return tuple(kpis)


def _parse_kpi(item: Any, at: str, check: Checker) -> tuple[str | None, Kpi | None]:
    """The KPI's name (when valid) and the KPI itself (when every field but the aggregate is)."""
    name = check.text(f"{at}.name", get(item, "name"), max_len=120)
    unit = check.text(f"{at}.unit", get(item, "unit"), max_len=40)
    baseline = check.number(f"{at}.baseline", get(item, "baseline"))
    target = check.number(f"{at}.target", get(item, "target"))
    direction = check.choice(f"{at}.direction", get(item, "direction"), DIRECTIONS)
    if None not in (baseline, target, direction):
        wrong_side = (direction == "increase" and target < baseline) or (  # type: ignore[operator]
            direction == "decrease" and target > baseline  # type: ignore[operator]
        )
        if wrong_side and not math.isclose(target, baseline):  # type: ignore[arg-type]
            better = "at or above" if direction == "increase" else "at or below"
            check.fail(
                f"{at}.target",
                f"must be {better} the baseline {baseline:g} when direction is {direction}",
            )
    if None in (name, unit, baseline, target, direction):
        return name, None
    return name, Kpi(name, unit, baseline, target, direction)  # type: ignore[arg-type]


def _with_aggregate(
    kpi: Kpi, raw: Any, current: Kpi | None, at: str, check: Checker, fixed: bool
) -> Kpi:
    """The KPI with its aggregate: as given (if allowed), else the current KPI's, else the mean."""
    kept = current.aggregate if current else DEFAULT_AGGREGATE
    if raw is None:
        return replace(kpi, aggregate=kept)
    aggregate = check.choice(at, raw, AGGREGATES)
    if aggregate is None:
        return replace(kpi, aggregate=kept)
    if fixed and current is not None and aggregate != current.aggregate:
        check.fail(at, f"cannot be changed once the trial is running (it is {current.aggregate})")
        return replace(kpi, aggregate=kept)
    return replace(kpi, aggregate=aggregate)  # type: ignore[arg-type]


def make_plan(*, venue_id: Any, planned_start: Any, planned_end: Any, kpis: Any) -> Plan:
    """A validated Plan; raises FieldError naming every wrong field."""
    check = Checker()
    venue = check.text("venue_id", venue_id, max_len=64)
    start = check.moment("planned_start", planned_start, day="start")
    end = check.moment("planned_end", planned_end, day="end")
    if start is not None and end is not None and not start < end:
        check.fail("planned_end", "must be after planned_start")
    parsed = parse_kpis(kpis, check)
    check.raise_if_any()
    return Plan(venue, start, end, parsed)  # type: ignore[arg-type]
