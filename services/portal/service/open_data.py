"""Open data use cases: a dataset's newest records for its feed, and every record for a download."""

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from services.portal.adapters.upstream import NotFound, Upstream, UpstreamError
from services.portal.domain.open_data import FEED_SIZE, Dataset, row_of
from services.portal.domain.open_data.atom import feed_xml
from services.portal.domain.open_data.cells import (
    JSON_TAIL,
    csv_header,
    csv_row,
    encoded,
    json_head,
    json_item,
)
from services.portal.domain.open_data.entries import feed_of
from services.portal.domain.paging import MAX_OFFSET

log = logging.getLogger("innoportal.portal.open_data")
PAGE = 100  # the largest page the services' list APIs give
DOCUMENTS_AT_ONCE = 8  # report documents asked for at once for a feed


async def _page(upstream: Upstream, dataset: Dataset, offset: int, limit: int = PAGE) -> list[Any]:
    body = await upstream.get(dataset.service, dataset.path,
                              params={"limit": limit, "offset": offset})
    return list(body["items"])


async def _document(upstream: Upstream, trial_id: str, gate: asyncio.Semaphore) -> Any:
    """A report's published document (for who conducted the trial and its summary), if any."""
    async with gate:
        try:
            path = f"/v1/trials/{quote(trial_id, safe='')}/report.json"
            return await upstream.get("trials", path)
        except NotFound:
            return None  # superseded or withdrawn meanwhile: the entry does without it


async def feed(upstream: Upstream, dataset: Dataset, portal: str) -> bytes:
    """The Atom feed of `dataset`: its newest records; ServiceDown when its service is down."""
    records = await _page(upstream, dataset, 0, FEED_SIZE)
    documents: Mapping[str, Any] = {}
    if dataset.name == "reports":
        gate = asyncio.Semaphore(DOCUMENTS_AT_ONCE)
        ids = [str(r["trial_id"]) for r in records]
        found = await asyncio.gather(*(_document(upstream, i, gate) for i in ids))
        documents = {i: d for i, d in zip(ids, found, strict=True) if isinstance(d, dict)}
    return feed_xml(feed_of(dataset, records, portal, datetime.now(UTC), documents))


async def every_page(upstream: Upstream, dataset: Dataset) -> AsyncIterator[list[dict[str, Any]]]:
    """Every record of `dataset`, a page at a time; the first page is asked for at once.

    So a service that is down fails the request (503) before the download starts. Records are
    newest first, so one posted while we page pushes the rest down: a record seen on an earlier
    page is not given twice.
    """
    first = await _page(upstream, dataset, 0)

    async def pages() -> AsyncIterator[list[dict[str, Any]]]:
        seen: set[str] = set()
        items, offset = first, 0
        while True:
            fresh = [i for i in items if str(i[dataset.key]) not in seen]
            seen.update(str(i[dataset.key]) for i in fresh)
            yield fresh
            offset += PAGE
            if len(items) < PAGE or offset > MAX_OFFSET:
                return
            try:
                items = await _page(upstream, dataset, offset)
            except UpstreamError:
                # The answer has begun: all we can do is cut it short, so it is not taken whole.
                log.warning("%s stopped answering at offset %s of a download", dataset.service,
                            offset)
                raise
    return pages()


Pages = AsyncIterator[list[dict[str, Any]]]


async def csv_download(pages: Pages, dataset: Dataset, portal: str) -> AsyncIterator[bytes]:
    """The CSV download: a BOM and header, then a line per record."""
    yield encoded(csv_header(dataset.field_names))
    async for page in pages:
        yield encoded("".join(csv_row(row_of(dataset, r, portal)) for r in page))


async def json_download(pages: Pages, dataset: Dataset, portal: str,
                        generated_at: datetime) -> AsyncIterator[bytes]:
    """The JSON download: {dataset, generated_at, fields, items}, written as records arrive."""
    moment = generated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    yield encoded(json_head(dataset.name, moment, dataset.field_names))
    count = 0
    async for page in pages:
        parts = [json_item(row_of(dataset, r, portal), count + n == 0) for n, r in enumerate(page)]
        count += len(page)
        yield encoded("".join(parts))
    yield encoded(JSON_TAIL)
