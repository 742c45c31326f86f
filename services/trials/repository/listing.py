"""The trials list in two queries whatever the page size: the page's trials with their venues,
measurement counts, latest reports and the total; then all their transitions and amendments."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, and_, cast, func, literal, null, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from services.trials.domain import Amendment, Transition, Trial, Venue
from services.trials.models import AmendmentRow, ReportRow, TransitionRow, TrialRow, VenueRow
from services.trials.repository.reports import ReportRef
from services.trials.repository.rows import Queries
from services.trials.repository.trials import amendment_of, to_trial, transition_of
from services.trials.repository.venues import venue_of


@dataclass(frozen=True)
class TrialFilters:
    """What GET /v1/trials narrows by; None is no filter."""

    state: str | None = None
    venue_id: str | None = None
    match_id: str | None = None
    party_org: str | None = None  # the organisation owning the wish or the solution


@dataclass(frozen=True)
class TrialView:
    """A trial with what the API shows beside it: its venue, measurement count, latest report."""

    trial: Trial
    venue: Venue
    measurement_count: int
    report: ReportRef | None


def _owner_org(role: str) -> Any:
    return col(TrialRow.parties)[(role, "owner_org")].as_string()


def filtered(query: Any, filters: TrialFilters) -> Any:
    """`query` narrowed to the trials `filters` select."""
    for name in ("state", "venue_id", "match_id"):
        if (value := getattr(filters, name)) is not None:
            query = query.where(col(getattr(TrialRow, name)) == value)
    if (org := filters.party_org) is not None:
        query = query.where(or_(_owner_org("wish") == org, _owner_org("solution") == org))
    return query


def _page_query(filters: TrialFilters, limit: int, offset: int) -> Any:
    newer = aliased(ReportRow)
    latest = select(func.max(newer.version)).where(newer.trial_id == TrialRow.id)
    query = (
        select(TrialRow, VenueRow, ReportRow.version, ReportRow.content_hash,
               ReportRow.published_at, func.count().over().label("total"))
        .join(VenueRow, col(VenueRow.id) == col(TrialRow.venue_id))
        .outerjoin(ReportRow, and_(col(ReportRow.trial_id) == col(TrialRow.id),
                                   col(ReportRow.version) == latest.scalar_subquery()))
    )
    query = filtered(query, filters)
    return query.order_by(col(TrialRow.opened_at).desc(), col(TrialRow.id)).limit(limit).offset(
        offset)


def _records_query(trial_ids: list[str]) -> Any:
    """Transitions and amendments of the trials, as one UNION ALL of rows of the same shape."""
    transitions = select(
        literal("t").label("kind"), TransitionRow.trial_id, TransitionRow.seq,
        TransitionRow.from_state, TransitionRow.to_state, TransitionRow.by_org,
        TransitionRow.by_role, TransitionRow.at, col(TransitionRow.note).label("text"),
        cast(null(), JSON).label("changes"),
    ).where(col(TransitionRow.trial_id).in_(trial_ids))
    amendments = select(
        literal("a"), AmendmentRow.trial_id, AmendmentRow.seq, cast(null(), String(16)),
        cast(null(), String(16)), AmendmentRow.by_org, AmendmentRow.by_role, AmendmentRow.at,
        AmendmentRow.reason, AmendmentRow.changes,
    ).where(col(AmendmentRow.trial_id).in_(trial_ids))
    union = transitions.union_all(amendments).subquery()
    return sa_select(union).order_by(union.c.trial_id, union.c.kind, union.c.seq)


class TrialListQueries(Queries):
    """A page of trials, newest first, and how many there are."""

    async def list_trial_page(
        self, filters: TrialFilters, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[TrialView], int]:
        """The page of trials `filters` select (newest first) and the total they page through."""
        rows = (await self.session.exec(_page_query(filters, limit, offset))).all()
        if not rows:
            total = await self.count_trials(filters) if offset else 0
            return [], total
        transitions: dict[str, list[Transition]] = defaultdict(list)
        amendments: dict[str, list[Amendment]] = defaultdict(list)
        records = await self.session.exec(_records_query([r[0].id for r in rows]))
        for r in records.all():
            if r.kind == "t":
                transitions[r.trial_id].append(transition_of(
                    r.seq, r.from_state, r.to_state, r.by_org, r.by_role, r.at, r.text))
            else:
                amendments[r.trial_id].append(amendment_of(
                    r.seq, r.by_org, r.by_role, r.at, r.text, r.changes))
        page = [
            TrialView(
                trial=to_trial(row, transitions[row.id], amendments[row.id]),
                venue=venue_of(venue),
                measurement_count=row.measurement_count,
                report=None if version is None else ReportRef(version, content_hash, published),
            )
            for row, venue, version, content_hash, published, _total in rows
        ]
        return page, int(rows[0][-1])

    async def count_trials(self, filters: TrialFilters) -> int:
        """How many trials list_trial_page would page through with the same filters."""
        query = filtered(select(func.count()).select_from(TrialRow), filters)
        return int((await self.session.exec(query)).one())
