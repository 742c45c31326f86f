"""The field trials of the matcher's matches, as the trials service's events told them."""

from collections.abc import Iterable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.matcher.models import TrialRow


async def get_trial(session: AsyncSession, trial_id: str) -> TrialRow | None:
    """One trial, if heard of."""
    return await session.get(TrialRow, trial_id)


async def trials_of(session: AsyncSession,
                    solution_ids: Iterable[str]) -> dict[str, list[TrialRow]]:
    """The trials of each solution, newest first."""
    ids = list(solution_ids)
    if not ids:
        return {}
    rows = (await session.exec(select(TrialRow).where(col(TrialRow.solution_id).in_(ids))
                               .order_by(col(TrialRow.updated_at).desc()))).all()
    found: dict[str, list[TrialRow]] = {}
    for row in rows:
        found.setdefault(row.solution_id, []).append(row)
    return found


def save_trial(session: AsyncSession, row: TrialRow) -> None:
    """Store a new or changed trial."""
    session.add(row)
