"""HTTP API of the solutions service (port 8102)."""

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.categories import CategoryId
from innoportal.auth import ProviderDep, ViewerDep
from innoportal.fields import ID_PATTERN
from innoportal.listing import (
    Limit,
    Offset,
    OwnerOrg,
    RecordsCreatedDep,
    SearchQuery,
    SessionDep,
)
from innoportal.uow import UnitOfWorkDep
from services.solutions import service
from services.solutions.models import (
    SolutionCreate,
    SolutionPage,
    SolutionPublic,
    SolutionView,
    SolutionWithContact,
)
from services.solutions.repository import SolutionQuery

router = APIRouter(prefix="/v1/solutions", tags=["solutions"])


@router.post("", status_code=201, response_model=SolutionWithContact)
async def submit_solution(
    body: SolutionCreate, principal: ProviderDep, uow: UnitOfWorkDep, created: RecordsCreatedDep
) -> SolutionWithContact:
    """Submit a solution (provider); SolutionSubmitted is published once it is stored."""
    solution = await service.submit_solution(uow, body, owner_org=principal.org)
    uow.after_commit(created.labels(kind="solution").inc)
    await uow.commit()
    return SolutionWithContact.of(solution)  # to its owner


@router.get("", response_model=SolutionPage)
async def list_solutions(
    session: SessionDep,
    viewer: ViewerDep,
    category: CategoryId | None = None,
    q: SearchQuery = None,
    trl_min: Annotated[int | None, Query(ge=1, le=9)] = None,
    wish_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    owner_org: OwnerOrg = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> SolutionPage:
    """List the solution catalogue, newest first, or best match first when searching with q;
    owner_org= lists one provider's own.

    A solution's contact_email is shown only to its owner, EMSD, and the department of a wish
    it was accepted with (by bearer token); otherwise the key is absent.
    """
    query = SolutionQuery(category=category, q=q, trl_min=trl_min, wish_id=wish_id,
                          owner_org=owner_org, limit=limit, offset=offset)
    return await service.list_solutions(session, query, viewer)


@router.get("/{solution_id}", response_model=SolutionView)
async def get_solution(solution_id: str, session: SessionDep, viewer: ViewerDep) -> SolutionPublic:
    """One solution by id (contact_email only for its owner, EMSD and an accepted department)."""
    return await service.get_solution(session, solution_id, viewer)
