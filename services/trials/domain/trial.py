"""The Trial aggregate: planned → running → completed, or terminated from planned or running."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from innoportal.errors import FieldError
from services.trials.domain.amendments import UNSET, Amendment, amended_plan, diff, iso
from services.trials.domain.checks import Checker
from services.trials.domain.errors import InvalidTransition, NotPermitted
from services.trials.domain.plan import Actor, MatchFacts, Plan
from services.trials.domain.results import Measurement, Results, compute_results

State = Literal["planned", "running", "completed", "terminated"]
Reading = tuple[int, Any, Any, Any]  # one item of a batch: (index, kpi, value, measured_at)
ACTIVE_STATES: tuple[State, ...] = ("planned", "running")  # these hold their venue
MAX_SUMMARY, MAX_REASON = 5000, 2000


@dataclass(frozen=True)
class Transition:
    """One recorded move of the lifecycle (from_state None: the trial was opened)."""

    seq: int
    from_state: State | None
    to_state: State
    by: Actor
    at: datetime
    note: str | None = None  # the reason of a termination


def new_trial_id() -> str:
    """A fresh trial id."""
    return f"t-{secrets.token_hex(8)}"


@dataclass
class Trial:
    """A field trial of an accepted match at a venue, judged against a plan fixed up front."""

    id: str
    match: MatchFacts
    plan: Plan
    state: State
    transitions: list[Transition]
    amendments: list[Amendment] = field(default_factory=list)
    actual_start: datetime | None = None
    ended_at: datetime | None = None
    summary: str | None = None
    termination_reason: str | None = None
    results: Results | None = None
    version: int = 0  # optimistic-lock counter owned by the repository

    @classmethod
    def open(
        cls, *, match: MatchFacts, plan: Plan, by: Actor, at: datetime, trial_id: str | None = None
    ) -> "Trial":
        """Open a planned trial (EMSD only); booking and acceptance are the service's checks."""
        _require_emsd(by, "open a trial")
        trial_id = trial_id or new_trial_id()
        return cls(
            id=trial_id,
            match=match,
            plan=plan,
            state="planned",
            transitions=[Transition(1, None, "planned", by, at)],
        )

    @property
    def opened_at(self) -> datetime:
        """When the trial was opened."""
        return self.transitions[0].at

    @property
    def is_active(self) -> bool:
        """Whether it still holds its venue (planned or running)."""
        return self.state in ACTIVE_STATES

    def start(self, *, by: Actor, at: datetime) -> Transition:
        """planned → running; the planned window must not have passed already."""
        _require_emsd(by, "start a trial")
        self._require_state(("planned",), "start")
        if at >= self.plan.planned_end:
            raise InvalidTransition(
                self.id,
                self.state,
                "start",
                f"its planned end {iso(self.plan.planned_end)} has passed; amend planned_end first",
            )
        self.actual_start = at
        return self._move("running", by, at)

    def check_measurement(
        self, *, by: Actor, kpi: Any, value: Any, measured_at: Any, now: datetime
    ) -> Measurement:
        """A validated measurement from EMSD or this trial's provider while it runs."""
        self._require_recorder(by)
        check = Checker()
        measurement = self._reading(check, "", by, kpi, value, measured_at, now)
        check.raise_if_any()
        return measurement  # type: ignore[return-value]

    def check_measurements(
        self, *, by: Actor, items: Iterable[Reading], now: datetime
    ) -> list[Measurement]:
        """A batch of validated measurements (each item `(index, kpi, value, measured_at)`),
        or FieldError naming every wrong field of every item as `items[index].field`."""
        self._require_recorder(by)
        check = Checker()
        out = [self._reading(check, f"items[{i}].", by, kpi, value, at, now)
               for i, kpi, value, at in items]
        check.raise_if_any()
        return out  # type: ignore[return-value]

    def _require_recorder(self, by: Actor) -> None:
        if not (by.is_emsd or (by.role == "provider" and by.org == self.match.provider_org)):
            raise NotPermitted(
                f"only EMSD or the trial's provider ({self.match.provider_org}) may record "
                f"measurements; {by.org} ({by.role}) may not"
            )
        self._require_state(("running",), "record a measurement")

    def _reading(
        self, check: Checker, at: str, by: Actor, kpi: Any, value: Any, measured_at: Any,
        now: datetime,
    ) -> Measurement | None:
        known = self.plan.kpi(kpi) if isinstance(kpi, str) else None
        if known is None:
            check.fail(f"{at}kpi", self.plan.unknown_kpi())
        number = check.number(f"{at}value", value)
        moment = check.moment(f"{at}measured_at", measured_at)
        if moment is not None and self.actual_start is not None and moment < self.actual_start:
            check.fail(f"{at}measured_at",
                       f"is before the trial started ({iso(self.actual_start)})")
        elif moment is not None and moment > now:
            check.fail(f"{at}measured_at", f"is in the future (now is {iso(now)})")
        if known is None or number is None or moment is None or check.problems:
            return None
        return Measurement(known.name, number, moment, by, now)

    def complete(
        self, *, by: Actor, at: datetime, summary: Any, measurements: Iterable[Measurement]
    ) -> Results:
        """running → completed: judge every KPI on the measurements and keep the results."""
        _require_emsd(by, "complete a trial")
        self._require_state(("running",), "complete")
        check = Checker()
        text = check.text("summary", summary, max_len=MAX_SUMMARY)
        check.raise_if_any()
        self.results = compute_results(self.plan.kpis, measurements)
        self.summary, self.ended_at = text, at
        self._move("completed", by, at)
        return self.results

    def terminate(self, *, by: Actor, at: datetime, reason: Any) -> Transition:
        """planned or running → terminated, with the reason that will be published."""
        _require_emsd(by, "terminate a trial")
        self._require_state(ACTIVE_STATES, "terminate")
        check = Checker()
        text = check.text("reason", reason, max_len=MAX_REASON)
        check.raise_if_any()
        self.termination_reason, self.ended_at = text, at
        return self._move("terminated", by, at, note=text)

    def amend(
        self,
        *,
        by: Actor,
        at: datetime,
        reason: Any,
        planned_start: Any = UNSET,
        planned_end: Any = UNSET,
        venue_id: Any = UNSET,
        kpis: Any = UNSET,
    ) -> Amendment:
        """Change the plan, recorded with who, when, what and why. Before the start anything may
        change; once running only planned_end and the KPIs (none may be dropped, and none may
        change how its readings are summarised)."""
        _require_emsd(by, "amend a trial")
        self._require_state(ACTIVE_STATES, "amend the plan")
        running = self.state == "running"
        for name, value in (("planned_start", planned_start), ("venue_id", venue_id)):
            if running and value is not UNSET:
                raise InvalidTransition(
                    self.id, self.state, f"change {name}", "it is fixed once started"
                )
        check = Checker()
        why = check.text("reason", reason, max_len=MAX_REASON)
        plan = amended_plan(
            self.plan, check, running=running, at=at, planned_start=planned_start,
            planned_end=planned_end, venue_id=venue_id, kpis=kpis,
        )
        check.raise_if_any()
        changes = diff(self.plan, plan)
        if not changes:
            raise FieldError("amendment", "changes nothing in the current plan")
        amendment = Amendment(len(self.amendments) + 1, by, at, why, changes)  # type: ignore[arg-type]
        self.plan = plan
        self.amendments.append(amendment)
        return amendment

    def _require_state(self, allowed: tuple[State, ...], action: str) -> None:
        if self.state not in allowed:
            raise InvalidTransition(self.id, self.state, action)

    def _move(self, to: State, by: Actor, at: datetime, note: str | None = None) -> Transition:
        step = Transition(len(self.transitions) + 1, self.state, to, by, at, note)
        self.transitions.append(step)
        self.state = to
        return step


def _require_emsd(by: Actor, action: str) -> None:
    if not by.is_emsd:
        raise NotPermitted(f"only EMSD may {action}; {by.org} ({by.role}) may not")
