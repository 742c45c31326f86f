"""Open data: Atom feeds, CSV and JSON downloads (no language prefix), and /{lang}/open-data."""

import hashlib
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from contracts.categories import CATEGORIES
from innoportal.fields import HONG_KONG
from services.portal.api.web import HEADERS, LanguageDep, UpstreamDep, render
from services.portal.domain.open_data import DATASETS, FORMATS, Dataset
from services.portal.domain.open_data.atom import MEDIA_TYPE as ATOM_TYPE
from services.portal.service import open_data

router = APIRouter(include_in_schema=False)
VERDICTS = ("passed", "partially_passed", "failed")
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# Feeds are polled; a few minutes' staleness spares the services. Downloads are made per request.
FEED_CACHE = "public, max-age=300"
DATA_HEADERS = {k: v for k, v in HEADERS.items() if k != "Content-Security-Policy"}


def dataset_named(name: str) -> Dataset:
    """The dataset `name`; 404 for any other."""
    dataset = DATASETS.get(name)
    if dataset is None:
        raise HTTPException(404, "dataset: not one of wishes, solutions, reports")
    return dataset


def portal_url(request: Request) -> str:
    """The portal's public base URL (INNOPORTAL_PORTAL_URL): every link in a feed or file."""
    return request.app.state.runtime.common.portal_url.rstrip("/")


@router.get("/feeds/{name}.atom")
async def feed(name: str, request: Request, upstream: UpstreamDep) -> Response:
    """The Atom feed of wishes, solutions or reports: the newest 50, newest first."""
    dataset = dataset_named(name)
    body = await open_data.feed(upstream, dataset, portal_url(request))
    # Feed readers poll: an unchanged feed costs them a 304 and no body.
    headers = {**DATA_HEADERS, "Cache-Control": FEED_CACHE,
               "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"'}
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ATOM_TYPE, headers=headers)


@router.get("/open-data/{name}.{extension}")
async def download(name: str, extension: str, request: Request,
                   upstream: UpstreamDep) -> StreamingResponse:
    """Every record of a dataset as CSV or JSON, streamed, only its published fields."""
    dataset = dataset_named(name)
    if extension not in FORMATS:
        raise HTTPException(404, "format: not csv or json")
    now = datetime.now(UTC)
    pages = await open_data.every_page(upstream, dataset)  # 503 here, before any byte is sent
    portal = portal_url(request)
    if extension == "csv":
        body = open_data.csv_download(pages, dataset, portal)
    else:
        body = open_data.json_download(pages, dataset, portal, now)
    filename = f"innoportal-{dataset.name}-{now.astimezone(HONG_KONG):%Y-%m-%d}.{extension}"
    return StreamingResponse(body, media_type=DOWNLOAD_TYPES[extension], headers={
        **DATA_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-cache",
    })


@router.get("/{lang:lang}/open-data")
async def open_data_page(request: Request, language: LanguageDep) -> Response:
    """What each feed and download holds, every field documented, and the links."""
    return render(request, language, "open_data/page.html", {
        "datasets": list(DATASETS.values()), "categories": CATEGORIES, "verdicts": VERDICTS,
    })
