"""HTTP API of the wishes service (port 8101)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import CATEGORY_IDS, WishClosed, WishPosted, utcnow
from contracts.categories import CategoryId
from innoportal.auth import DepartmentDep
from innoportal.fields import language_errors
from innoportal.http import FieldError
from innoportal.outbox import stage_event
from innoportal.search import index_rows, matching_subquery
from services.wishes import domain
from services.wishes.models import Wish, WishClose, WishCreate, WishPage, WishPublic, WishTerm

router = APIRouter(prefix="/v1/wishes", tags=["wishes"])


async def get_session(request: Request):
    """A database session for one request."""
    async with request.app.state.runtime.db.session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


@router.post("", status_code=201, response_model=WishPublic)
async def post_wish(
    body: WishCreate, principal: DepartmentDep, session: SessionDep, request: Request
) -> WishPublic:
    """Post a wish (department); WishPosted is published once it is stored."""
    errors = language_errors(body.title_en, body.description_en, body.title_zh, body.description_zh)
    errors += domain.closing_date_errors(body.closes_on, utcnow().date())
    if errors:
        raise FieldError(errors)
    wish = Wish(
        **body.model_dump(exclude={"categories"}),
        categories_csv="," + ",".join(body.categories) + ",",
        owner_org=principal.org,
    )
    session.add(wish)
    await session.flush()
    session.add_all(index_rows(WishTerm, wish.id, _search_fields(wish)))
    stage_event(session, WishPosted(wish=wish.to_record()))
    await session.commit()
    request.app.state.runtime.metrics.records_created.labels(kind="wish").inc()
    return WishPublic.of(wish)


def _search_fields(wish: Wish) -> list[tuple[str | None, float]]:
    return [(wish.title_en, 3.0), (wish.title_zh, 3.0),
            (wish.description_en, 1.0), (wish.description_zh, 1.0)]


@router.get("", response_model=WishPage)
async def list_wishes(
    session: SessionDep,
    category: CategoryId | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    status: Literal["open", "closed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> WishPage:
    """List wishes, newest first, or best match first when searching with q (English or 中文)."""
    query = select(Wish)
    order = [col(Wish.created_at).desc(), col(Wish.id)]
    if q and q.strip():
        hits = matching_subquery(WishTerm, q)
        if hits is None:
            return WishPage(items=[], total=0, limit=limit, offset=offset)
        query = query.join(hits, hits.c.record_id == Wish.id)
        order = [hits.c.score.desc(), *order]
    if category:
        assert category in CATEGORY_IDS
        query = query.where(col(Wish.categories_csv).contains(f",{category},"))
    if status:
        query = query.where(Wish.status == status)
    total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
    rows = (await session.exec(query.order_by(*order).limit(limit).offset(offset))).all()
    return WishPage(items=[WishPublic.of(w) for w in rows], total=total, limit=limit, offset=offset)


@router.get("/{wish_id}", response_model=WishPublic)
async def get_wish(wish_id: str, session: SessionDep) -> WishPublic:
    """One wish by id."""
    wish = await session.get(Wish, wish_id)
    if wish is None:
        raise HTTPException(404, f"wish_id: no wish {wish_id!r}")
    return WishPublic.of(wish)


@router.post("/{wish_id}/close", response_model=WishPublic)
async def close_wish(
    wish_id: str,
    principal: DepartmentDep,
    session: SessionDep,
    body: Annotated[WishClose | None, Body()] = None,
) -> WishPublic:
    """Close a wish (its owner department only); WishClosed is published."""
    wish = (
        await session.exec(select(Wish).where(Wish.id == wish_id).with_for_update())
    ).first()
    if wish is None:
        raise HTTPException(404, f"wish_id: no wish {wish_id!r}")
    try:
        domain.check_close(owner_org=wish.owner_org, status=wish.status, by_org=principal.org)
    except domain.NotOwner as exc:
        raise HTTPException(403, f"owner_org: {exc}") from exc
    except domain.AlreadyClosed as exc:
        raise HTTPException(409, f"status: {exc}") from exc
    reason = body.reason if body else None
    wish.status, wish.closed_at, wish.close_reason = "closed", utcnow(), reason
    session.add(wish)
    stage_event(session, WishClosed(wish_id=wish.id, owner_org=wish.owner_org, reason=reason))
    await session.commit()
    return WishPublic.of(wish)
