"""SQL on the wishes service's tables: one wish, the list and search query, the close's
conditional UPDATE, and who besides the public may see a wish's contact."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.fields import is_record_id
from innoportal.listing import page_of
from innoportal.privacy import Viewer
from innoportal.records import contacts_shown
from services.wishes.models import Wish, WishAcceptedParty, WishTerm


@dataclass(frozen=True)
class WishQuery:
    """What a list of wishes asks for: its filters, search words (q) and page."""

    category: str | None = None
    q: str | None = None
    status: str | None = None
    owner_org: str | None = None
    limit: int = 20
    offset: int = 0


class WishesRepository:
    """The wishes tables, through one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, wish_id: str, *, fresh: bool = False) -> Wish | None:
        """A wish by id (None for what cannot be an id); `fresh` reads it again from the database."""
        if not is_record_id(wish_id):
            return None
        return await self.session.get(Wish, wish_id, populate_existing=fresh)

    async def page(self, query: WishQuery) -> tuple[list[Wish], int]:
        """The wishes `query` asks for, best match then newest first, and how many there are."""
        where = []
        if query.category:
            where.append(col(Wish.categories_csv).contains(f",{query.category},"))
        if query.status:
            where.append(Wish.status == query.status)
        if query.owner_org is not None:
            where.append(col(Wish.owner_org) == query.owner_org)
        return await page_of(self.session, Wish, WishTerm, q=query.q, where=where,
                             limit=query.limit, offset=query.offset)

    async def contacts_shown(self, wishes: Sequence[Wish], viewer: Viewer | None) -> set[str]:
        """The ids of `wishes` whose contact `viewer` may see."""
        return await contacts_shown(self.session, WishAcceptedParty, wishes, viewer)

    async def close_if_open(self, wish_id: str, *, owner_org: str, reason: str | None,
                            at: datetime) -> bool:
        """Close the wish if it is still open and `owner_org`'s; whether this call closed it."""
        # One conditional UPDATE decides, so concurrent closes close once (and stage one event)
        # on every backend: SQLite takes no row lock for a SELECT ... FOR UPDATE.
        changed = await self.session.exec(
            update(Wish)
            .where(col(Wish.id) == wish_id, col(Wish.owner_org) == owner_org,
                   col(Wish.status) == "open")
            .values(status="closed", closed_at=at, close_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return changed.rowcount == 1
