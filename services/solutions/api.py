"""HTTP API of the solutions service (port 8102)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from sqlmodel import col

from contracts import SolutionSubmitted
from contracts.categories import CategoryId
from innoportal.auth import ProviderDep, ViewerDep
from innoportal.fields import ID_PATTERN, is_record_id
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
from innoportal.records import contacts_shown
from services.solutions import domain
from services.solutions.models import (
    KnownWish,
    Solution,
    SolutionAcceptedParty,
    SolutionCreate,
    SolutionPage,
    SolutionPublic,
    SolutionTerm,
    SolutionView,
    SolutionWithContact,
)

router = APIRouter(prefix="/v1/solutions", tags=["solutions"])


@router.post("", status_code=201, response_model=SolutionWithContact)
async def submit_solution(
    body: SolutionCreate, principal: ProviderDep, session: SessionDep, request: Request
) -> SolutionWithContact:
    """Submit a solution (provider); SolutionSubmitted is published once it is stored."""
    errors = body.field_errors()
    if body.wish_id is not None:
        wish = await session.get(KnownWish, body.wish_id)
        errors += domain.wish_link_errors(body.wish_id, wish.status if wish else None)
    if errors:
        raise FieldError(errors)
    solution = Solution(
        **body.model_dump(exclude={"categories", "website"}),
        website=str(body.website) if body.website else None,
        categories_csv=categories_csv(body.categories),
        owner_org=principal.org,
    )
    await store_record(request, session, solution, SolutionTerm,
                       lambda s: SolutionSubmitted(solution=s.to_record()), kind="solution")
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
    where = []
    if category:
        where.append(col(Solution.categories_csv).contains(f",{category},"))
    if trl_min is not None:
        where.append(col(Solution.trl) >= trl_min)
    if wish_id:
        where.append(col(Solution.wish_id) == wish_id)
    if owner_org is not None:
        where.append(col(Solution.owner_org) == owner_org)
    rows, total = await page_of(
        session, Solution, SolutionTerm, q=q, where=where, limit=limit, offset=offset
    )
    shown = await contacts_shown(session, SolutionAcceptedParty, rows, viewer)
    return SolutionPage(items=[SolutionPublic.view(s, s.id in shown) for s in rows], total=total,
                        limit=limit, offset=offset)


@router.get("/{solution_id}", response_model=SolutionView)
async def get_solution(solution_id: str, session: SessionDep, viewer: ViewerDep) -> SolutionPublic:
    """One solution by id (contact_email only for its owner, EMSD and an accepted department)."""
    solution = (
        await session.get(Solution, solution_id) if is_record_id(solution_id) else None
    )
    if solution is None:
        raise HTTPException(404, f"solution_id: no solution {solution_id!r}")
    shown = await contacts_shown(session, SolutionAcceptedParty, [solution], viewer)
    return SolutionPublic.view(solution, solution.id in shown)
