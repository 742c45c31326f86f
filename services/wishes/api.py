"""HTTP API of the wishes service (port 8101)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, HTTPException, Request
from sqlalchemy import update
from sqlmodel import col

from contracts import WishClosed, WishPosted, utcnow
from contracts.categories import CategoryId
from innoportal.auth import DepartmentDep, ViewerDep
from innoportal.fields import hong_kong_today, is_record_id
from innoportal.http import FieldError
from innoportal.listing import (
    Limit,
    Offset,
    OwnerOrg,
    SearchQuery,
    SessionDep,
    categories_csv,
    page_of,
    store_record,
)
from innoportal.outbox import stage_event
from innoportal.records import contacts_shown
from services.wishes import domain
from services.wishes.models import (
    Wish,
    WishAcceptedParty,
    WishClose,
    WishCreate,
    WishPage,
    WishPublic,
    WishTerm,
    WishView,
    WishWithContact,
)

router = APIRouter(prefix="/v1/wishes", tags=["wishes"])


@router.post("", status_code=201, response_model=WishWithContact)
async def post_wish(
    body: WishCreate, principal: DepartmentDep, session: SessionDep, request: Request
) -> WishWithContact:
    """Post a wish (department); WishPosted is published once it is stored."""
    errors = body.field_errors() + domain.closing_date_errors(body.closes_on, hong_kong_today())
    if errors:
        raise FieldError(errors)
    wish = Wish(
        **body.model_dump(exclude={"categories"}),
        categories_csv=categories_csv(body.categories),
        owner_org=principal.org,
    )
    await store_record(request, session, wish, WishTerm,
                       lambda w: WishPosted(wish=w.to_record()), kind="wish")
    return WishWithContact.of(wish)  # to its owner


@router.get("", response_model=WishPage)
async def list_wishes(
    session: SessionDep,
    viewer: ViewerDep,
    category: CategoryId | None = None,
    q: SearchQuery = None,
    status: Literal["open", "closed"] | None = None,
    owner_org: OwnerOrg = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> WishPage:
    """List wishes, newest first, or best match first when searching with q (English or 中文);
    owner_org= lists one department's own.

    A wish's contact_email is shown only to its owner, EMSD, and the provider of a solution
    accepted with it (by bearer token); otherwise the key is absent.
    """
    where = []
    if category:
        where.append(col(Wish.categories_csv).contains(f",{category},"))
    if status:
        where.append(Wish.status == status)
    if owner_org is not None:
        where.append(col(Wish.owner_org) == owner_org)
    rows, total = await page_of(
        session, Wish, WishTerm, q=q, where=where, limit=limit, offset=offset
    )
    shown = await contacts_shown(session, WishAcceptedParty, rows, viewer)
    return WishPage(items=[WishPublic.view(w, w.id in shown) for w in rows], total=total,
                    limit=limit, offset=offset)


@router.get("/{wish_id}", response_model=WishView)
async def get_wish(wish_id: str, session: SessionDep, viewer: ViewerDep) -> WishPublic:
    """One wish by id (its contact_email only for its owner, EMSD and an accepted provider)."""
    wish = await session.get(Wish, wish_id) if is_record_id(wish_id) else None
    if wish is None:
        raise HTTPException(404, f"wish_id: no wish {wish_id!r}")
    shown = await contacts_shown(session, WishAcceptedParty, [wish], viewer)
    return WishPublic.view(wish, wish.id in shown)


@router.post("/{wish_id}/close", response_model=WishWithContact)
async def close_wish(
    wish_id: str,
    principal: DepartmentDep,
    session: SessionDep,
    body: Annotated[WishClose | None, Body()] = None,
) -> WishWithContact:
    """Close a wish (its owner department only); WishClosed is published."""
    if not is_record_id(wish_id):
        raise HTTPException(404, f"wish_id: no wish {wish_id!r}")
    reason = body.reason if body else None
    # One conditional UPDATE decides, so concurrent closes close once (and stage one event)
    # on every backend: SQLite takes no row lock for a SELECT ... FOR UPDATE.
    changed = await session.exec(
        update(Wish)
        .where(col(Wish.id) == wish_id, col(Wish.owner_org) == principal.org,
               col(Wish.status) == "open")
        .values(status="closed", closed_at=utcnow(), close_reason=reason)
    )
    wish = await session.get(Wish, wish_id, populate_existing=True)
    if changed.rowcount != 1:
        if wish is None:
            raise HTTPException(404, f"wish_id: no wish {wish_id!r}")
        owner_org, status = wish.owner_org, wish.status
        await session.rollback()
        try:
            domain.check_close(owner_org=owner_org, status=status, by_org=principal.org)
        except domain.NotOwner as exc:
            raise HTTPException(403, f"owner_org: {exc}") from exc
        except domain.AlreadyClosed as exc:
            raise HTTPException(409, f"status: {exc}") from exc
        raise HTTPException(409, "status: the wish changed meanwhile; try again")
    stage_event(session, WishClosed(wish_id=wish.id, owner_org=wish.owner_org, reason=reason))
    await session.commit()
    return WishWithContact.of(wish)  # to its owner
