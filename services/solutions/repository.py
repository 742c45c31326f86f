"""SQL on the solutions service's tables: one solution, the catalogue's list and search query,
the wishes this service has heard of, and who besides the public may see a solution's contact."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.fields import is_record_id
from innoportal.listing import page_of
from innoportal.privacy import Viewer
from innoportal.records import contacts_shown
from services.solutions.models import KnownWish, Solution, SolutionAcceptedParty, SolutionTerm


@dataclass(frozen=True)
class SolutionQuery:
    """What a list of solutions asks for: its filters, search words (q) and page."""

    category: str | None = None
    q: str | None = None
    trl_min: int | None = None
    wish_id: str | None = None
    owner_org: str | None = None
    limit: int = 20
    offset: int = 0


class SolutionsRepository:
    """The solutions tables, through one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, solution_id: str) -> Solution | None:
        """A solution by id (None for what cannot be an id)."""
        if not is_record_id(solution_id):
            return None
        return await self.session.get(Solution, solution_id)

    async def page(self, query: SolutionQuery) -> tuple[list[Solution], int]:
        """The solutions `query` asks for, best match then newest first, and how many there are."""
        where = []
        if query.category:
            where.append(col(Solution.categories_csv).contains(f",{query.category},"))
        if query.trl_min is not None:
            where.append(col(Solution.trl) >= query.trl_min)
        if query.wish_id:
            where.append(col(Solution.wish_id) == query.wish_id)
        if query.owner_org is not None:
            where.append(col(Solution.owner_org) == query.owner_org)
        return await page_of(self.session, Solution, SolutionTerm, q=query.q, where=where,
                             limit=query.limit, offset=query.offset)

    async def contacts_shown(self, solutions: Sequence[Solution],
                             viewer: Viewer | None) -> set[str]:
        """The ids of `solutions` whose contact `viewer` may see."""
        return await contacts_shown(self.session, SolutionAcceptedParty, solutions, viewer)

    async def known_wish(self, wish_id: str) -> KnownWish | None:
        """What this service has heard of a wish (from WishPosted and WishClosed), if anything."""
        return await self.session.get(KnownWish, wish_id)

    def keep_wish(self, wish: KnownWish) -> None:
        """Store (or update) what this service knows of a wish."""
        self.session.add(wish)
