"""Wiring of the matcher: real adapters by default, any of them replaceable."""

from typing import Any

from fastapi import APIRouter, FastAPI

from innoportal.db import Database
from innoportal.runtime import Runtime
from innoportal.settings import common_settings
from services.matcher.api import router as api_router
from services.matcher.bus import build_router
from services.matcher.engine import MatcherState
from services.matcher.models import MATCHER_TABLES
from services.matcher.settings import MatcherSettings
from services.matcher.survey_api import router as survey_router


def bootstrap(settings: MatcherSettings | None = None, **adapters: Any) -> Runtime:
    """The matcher runtime: database, broker, relay, and the index loaded at start.

    Besides the Runtime's adapters it takes `glossary` and `analyzer` (from services.matcher.
    domain), so that several runtimes in one process can share the costly text analyzer.
    """
    settings = settings or MatcherSettings()
    text_parts = {key: adapters.pop(key) for key in ("glossary", "analyzer") if key in adapters}
    common = adapters.get("common") or common_settings()
    adapters["common"] = common
    db = adapters.setdefault("db", Database(settings.database_url_or_default(common)))
    state = MatcherState(
        db, threshold=settings.threshold, top_k=settings.top_k,
        snapshot_path=common.data_dir / f"{settings.name}-index.snapshot",
        snapshot_every=settings.snapshot_every, **text_parts,
    )

    def build(runtime: Runtime):
        runtime.state = state
        return build_router(runtime)

    runtime = Runtime(settings=settings, build_router=build, tables=MATCHER_TABLES, **adapters)
    state.watch(runtime.metrics.registry)
    runtime.on_start.append(state.load)
    runtime.on_stop.append(state.save_snapshot)
    return runtime


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The matcher HTTP app."""
    runtime = runtime or bootstrap()
    api = APIRouter()
    api.include_router(api_router)
    api.include_router(survey_router)
    return runtime.http_app(
        api, title="InnoPortal matcher",
        description="Wish-solution matches with their reasons; EMSD accepts or rejects them. "
                    "The market survey ranks every candidate for a need; possible duplicates of "
                    "a draft wish or solution.",
    )
