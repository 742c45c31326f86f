"""HTTP API of the wishes service (port 8101)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body

from contracts.categories import CategoryId
from innoportal.auth import DepartmentDep, ViewerDep
from innoportal.listing import (
    Limit,
    Offset,
    OwnerOrg,
    RecordsCreatedDep,
    SearchQuery,
    SessionDep,
)
from innoportal.uow import UnitOfWorkDep
from services.wishes import service
from services.wishes.models import (
    WishClose,
    WishCreate,
    WishPage,
    WishPublic,
    WishView,
    WishWithContact,
)
from services.wishes.repository import WishQuery

router = APIRouter(prefix="/v1/wishes", tags=["wishes"])


@router.post("", status_code=201, response_model=WishWithContact)
async def post_wish(
    body: WishCreate, principal: DepartmentDep, uow: UnitOfWorkDep, created: RecordsCreatedDep
) -> WishWithContact:
    """Post a wish (department); WishPosted is published once it is stored."""
    wish = await service.post_wish(uow, body, owner_org=principal.org)
    uow.after_commit(created.labels(kind="wish").inc)
    await uow.commit()
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
    query = WishQuery(category=category, q=q, status=status, owner_org=owner_org, limit=limit,
                      offset=offset)
    return await service.list_wishes(session, query, viewer)


@router.get("/{wish_id}", response_model=WishView)
async def get_wish(wish_id: str, session: SessionDep, viewer: ViewerDep) -> WishPublic:
    """One wish by id (its contact_email only for its owner, EMSD and an accepted provider)."""
    return await service.get_wish(session, wish_id, viewer)


@router.post("/{wish_id}/close", response_model=WishWithContact)
async def close_wish(
    wish_id: str,
    principal: DepartmentDep,
    uow: UnitOfWorkDep,
    body: Annotated[WishClose | None, Body()] = None,
) -> WishWithContact:
    """Close a wish (its owner department only); WishClosed is published."""
    wish = await service.close_wish(uow, wish_id, by_org=principal.org,
                                    reason=body.reason if body else None)
    await uow.commit()
    return WishWithContact.of(wish)  # to its owner
