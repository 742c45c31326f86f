"""Shared request plumbing of the record services: a session per request, search-aware pagination."""

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import AfterValidator, StringConstraints
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.fields import printable_line
from innoportal.outbox import stage_event
from innoportal.search import index_rows, matching_subquery


async def get_session(request: Request):
    """A database session for one request."""
    async with request.app.state.runtime.db.session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
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
    request: Request, session: AsyncSession, record: Any, term_model: Any, event: Any, kind: str
) -> None:
    """Store a record, its search terms and its event in one transaction, then count it."""
    session.add(record)
    await session.flush()
    session.add_all(index_rows(term_model, record.id, record.search_fields()))
    stage_event(session, event(record))
    await session.commit()
    request.app.state.runtime.metrics.records_created.labels(kind=kind).inc()


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
