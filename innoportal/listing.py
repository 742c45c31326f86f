"""Shared request plumbing of the record services: a session per request, search-aware pagination,
storing a record with its search terms and its event."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from prometheus_client import Counter
from pydantic import AfterValidator, StringConstraints
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import Event
from innoportal.fields import printable_line
from innoportal.search import index_rows, matching_subquery
from innoportal.uow import UnitOfWork, UnitOfWorkDep


def get_session(uow: UnitOfWorkDep) -> AsyncSession:
    """A database session for one request: the session of the request's unit of work."""
    # One place opens a request's session (innoportal.uow), whether it reads or writes.
    return uow.session


def records_created(request: Request) -> Counter:
    """The service's innoportal_records_created_total{kind}."""
    return request.app.state.runtime.metrics.records_created


SessionDep = Annotated[AsyncSession, Depends(get_session)]
RecordsCreatedDep = Annotated[Counter, Depends(records_created)]
SearchQuery = Annotated[str | None, Query(max_length=200, description="Words in English or 中文")]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Items to skip")]
# An organisation as bearer tokens name it (innoportal.auth.validate_org): 1 to 100 characters.
Org = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(printable_line),
]

OwnerOrg = Annotated[
    Org | None,
    Query(description="Only the records this organisation owns (its name exactly as its tokens "
          "carry it): a workspace's own list"),
]


async def store_record(
    uow: UnitOfWork, record: Any, term_model: Any, event: Callable[[Any], Event]
) -> None:
    """Store a record, its search terms and its event in `uow` (committed by whoever opened it)."""
    session = uow.session
    session.add(record)
    await session.flush()
    session.add_all(index_rows(term_model, record.id, record.search_fields()))
    uow.stage(event(record))


def categories_csv(categories: list[str]) -> str:
    """Categories stored as ',a,b,' so one LIKE filters by category on every backend."""
    return "," + ",".join(categories) + ","


async def page_of(
    session: AsyncSession, model: Any, term_model: Any, *, q: str | None, where: list[Any],
    limit: int, offset: int,
) -> tuple[list[Any], int]:
    """Rows of `model` matching every filter (and every word of q), best match then newest first."""
    query = select(model)
    order = [col(model.created_at).desc(), col(model.id)]
    if q and q.strip():
        hits = matching_subquery(term_model, q)
        if hits is None:
            return [], 0
        query = query.join(hits, hits.c.record_id == model.id)
        order = [hits.c.score.desc(), *order]
    for condition in where:
        query = query.where(condition)
    total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
    rows = (await session.exec(query.order_by(*order).limit(limit).offset(offset))).all()
    return list(rows), int(total)
