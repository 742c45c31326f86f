"""The solutions service's use cases: submit, list and read solutions; learn of wishes (to check a
solution's wish_id) and who may see a solution's contact. Each runs in its caller's unit of work
(or session, to read) and never commits."""

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import MatchDecided, SolutionSubmitted, WishClosed, WishPosted
from innoportal.errors import FieldError
from innoportal.listing import categories_csv, store_record
from innoportal.privacy import Viewer
from innoportal.records import apply_match_decision
from innoportal.uow import UnitOfWork
from services.solutions import domain
from services.solutions.models import (
    KnownWish,
    Solution,
    SolutionAcceptedParty,
    SolutionCreate,
    SolutionPage,
    SolutionPublic,
    SolutionTerm,
)
from services.solutions.repository import SolutionQuery, SolutionsRepository


async def submit_solution(uow: UnitOfWork, body: SolutionCreate, *, owner_org: str) -> Solution:
    """Store a provider's solution with its search terms and stage SolutionSubmitted."""
    errors = body.field_errors()
    if body.wish_id is not None:
        wish = await SolutionsRepository(uow.session).known_wish(body.wish_id)
        errors += domain.wish_link_errors(body.wish_id, wish.status if wish else None)
    if errors:
        raise FieldError(errors)
    solution = Solution(
        **body.model_dump(exclude={"categories", "website"}),
        website=str(body.website) if body.website else None,
        categories_csv=categories_csv(body.categories),
        owner_org=owner_org,
    )
    await store_record(uow, solution, SolutionTerm,
                       lambda s: SolutionSubmitted(solution=s.to_record()))
    return solution


async def list_solutions(session: AsyncSession, query: SolutionQuery,
                         viewer: Viewer | None) -> SolutionPage:
    """A page of the catalogue as `viewer` may see it (each contact only for those who may)."""
    solutions = SolutionsRepository(session)
    rows, total = await solutions.page(query)
    shown = await solutions.contacts_shown(rows, viewer)
    return SolutionPage(items=[SolutionPublic.view(s, s.id in shown) for s in rows], total=total,
                        limit=query.limit, offset=query.offset)


async def get_solution(session: AsyncSession, solution_id: str,
                       viewer: Viewer | None) -> SolutionPublic:
    """One solution as `viewer` may see it; FieldError 404 when there is none."""
    solutions = SolutionsRepository(session)
    solution = await solutions.get(solution_id)
    if solution is None:
        raise FieldError("solution_id", f"no solution {solution_id!r}", status=404)
    shown = await solutions.contacts_shown([solution], viewer)
    return SolutionPublic.view(solution, solution.id in shown)


async def record_wish_posted(uow: UnitOfWork, event: WishPosted) -> None:
    """Learn of a posted wish, so a solution may name it."""
    solutions = SolutionsRepository(uow.session)
    # A close that overtook its post has already left the wish "closed": keep that.
    if await solutions.known_wish(event.wish.id) is None:
        solutions.keep_wish(KnownWish(id=event.wish.id, status=event.wish.status))


async def record_wish_closed(uow: UnitOfWork, event: WishClosed) -> None:
    """Learn that a wish closed: it takes no more solutions."""
    solutions = SolutionsRepository(uow.session)
    known = await solutions.known_wish(event.wish_id) or KnownWish(id=event.wish_id)
    known.status = "closed"
    solutions.keep_wish(known)


async def record_match_decision(uow: UnitOfWork, event: MatchDecided) -> None:
    """Remember the department of a wish accepted with a solution, which may then see the
    solution's contact; a rejection forgets it."""
    await apply_match_decision(
        uow.session, SolutionAcceptedParty, record_id=event.solution_id,
        match_id=event.match_id, other_org=event.wish.owner_org,
        decision=event.decision, decided_at=event.occurred_at,
    )
