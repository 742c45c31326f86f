"""The wishes service's use cases: post, list, read and close wishes; learn who may see a wish's
contact. Each runs in its caller's unit of work (or session, to read) and never commits."""

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import MatchDecided, WishClosed, WishPosted, utcnow
from innoportal.errors import FieldError
from innoportal.fields import hong_kong_today
from innoportal.listing import categories_csv, store_record
from innoportal.privacy import Viewer
from innoportal.records import apply_match_decision
from innoportal.uow import UnitOfWork
from services.wishes import domain
from services.wishes.models import (
    Wish,
    WishAcceptedParty,
    WishCreate,
    WishPage,
    WishPublic,
    WishTerm,
)
from services.wishes.repository import WishesRepository, WishQuery


def _no_wish(wish_id: str) -> FieldError:
    return FieldError("wish_id", f"no wish {wish_id!r}", status=404)


async def post_wish(uow: UnitOfWork, body: WishCreate, *, owner_org: str) -> Wish:
    """Store a department's wish with its search terms and stage WishPosted."""
    errors = body.field_errors() + domain.closing_date_errors(body.closes_on, hong_kong_today())
    if errors:
        raise FieldError(errors)
    wish = Wish(
        **body.model_dump(exclude={"categories"}),
        categories_csv=categories_csv(body.categories),
        owner_org=owner_org,
    )
    await store_record(uow, wish, WishTerm, lambda w: WishPosted(wish=w.to_record()))
    return wish


async def list_wishes(session: AsyncSession, query: WishQuery, viewer: Viewer | None) -> WishPage:
    """A page of wishes as `viewer` may see them (each contact only for those who may see it)."""
    wishes = WishesRepository(session)
    rows, total = await wishes.page(query)
    shown = await wishes.contacts_shown(rows, viewer)
    return WishPage(items=[WishPublic.view(w, w.id in shown) for w in rows], total=total,
                    limit=query.limit, offset=query.offset)


async def get_wish(session: AsyncSession, wish_id: str, viewer: Viewer | None) -> WishPublic:
    """One wish as `viewer` may see it; FieldError 404 when there is none."""
    wishes = WishesRepository(session)
    wish = await wishes.get(wish_id)
    if wish is None:
        raise _no_wish(wish_id)
    shown = await wishes.contacts_shown([wish], viewer)
    return WishPublic.view(wish, wish.id in shown)


async def close_wish(uow: UnitOfWork, wish_id: str, *, by_org: str, reason: str | None) -> Wish:
    """Close a wish for its owner and stage WishClosed: concurrent closes close it once."""
    wishes = WishesRepository(uow.session)
    wish = await wishes.get(wish_id)
    if wish is None:
        raise _no_wish(wish_id)
    domain.check_close(owner_org=wish.owner_org, status=wish.status, by_org=by_org)
    closed = await wishes.close_if_open(wish.id, owner_org=by_org, reason=reason, at=utcnow())
    wish = await wishes.get(wish_id, fresh=True)
    if wish is None:
        raise _no_wish(wish_id)
    if not closed:
        # Another close came between the check and the UPDATE: the domain says why not now.
        domain.check_close(owner_org=wish.owner_org, status=wish.status, by_org=by_org)
        raise FieldError("status", "the wish changed meanwhile; try again", status=409)
    uow.stage(WishClosed(wish_id=wish.id, owner_org=wish.owner_org, reason=reason))
    return wish


async def record_match_decision(uow: UnitOfWork, event: MatchDecided) -> None:
    """Remember the provider of a solution accepted with a wish, who may then see the wish's
    contact; a rejection forgets it."""
    await apply_match_decision(
        uow.session, WishAcceptedParty, record_id=event.wish_id, match_id=event.match_id,
        other_org=event.solution.owner_org, decision=event.decision,
        decided_at=event.occurred_at,
    )
