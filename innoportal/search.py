"""Full-text search over a per-service term table (record_id, term, weight), on any SQL backend."""

import asyncio
from typing import Any

from sqlalchemy import distinct, func
from sqlmodel import col, select

from innoportal.text import query_terms, warm_up, weighted_terms


async def warm_up_search() -> None:
    """Load the Chinese segmenter off the event loop at start, so no reader waits for it."""
    await asyncio.to_thread(warm_up)


def index_rows(model: Any, record_id: str, fields: list[tuple[str | None, float]]) -> list[Any]:
    """Term rows for one record: title words weigh more than description words."""
    return [model(record_id=record_id, term=t, weight=w) for t, w in weighted_terms(fields).items()]


def matching_subquery(model: Any, q: str) -> Any | None:
    """Subquery (record_id, score) of records holding every term of `q`; None if q has no terms."""
    terms = query_terms(q)
    if not terms:
        return None
    return (
        select(col(model.record_id).label("record_id"), func.sum(model.weight).label("score"))
        .where(col(model.term).in_(terms))
        .group_by(col(model.record_id))
        .having(func.count(distinct(model.term)) == len(terms))
        .subquery()
    )
