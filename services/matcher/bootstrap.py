"""Wiring of the matcher: real adapters by default, any of them replaceable."""

from typing import Any

from fastapi import FastAPI

from innoportal.db import Database
from innoportal.runtime import Runtime
from innoportal.settings import common_settings
from services.matcher.adapters.snapshot_file import SnapshotFile
from services.matcher.api import build_api
from services.matcher.bus import build_router
from services.matcher.engine import MatchingIndex
from services.matcher.metrics import DecisionMetrics, watch_index
from services.matcher.models import MATCHER_TABLES
from services.matcher.settings import MatcherSettings
from services.matcher.state import MatcherState


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
    index = MatchingIndex(threshold=settings.threshold, top_k=settings.top_k,
                          snapshot_every=settings.snapshot_every, **text_parts)
    snapshot = SnapshotFile(common.data_dir / f"{settings.name}-index.snapshot")
    state = MatcherState(db, index, snapshot)

    def build(runtime: Runtime):
        runtime.state = state
        return build_router(runtime)

    runtime = Runtime(settings=settings, build_router=build, tables=MATCHER_TABLES, **adapters)
    # Decided matches (metrics.py) are read from the database at load and kept in step.
    state.decisions = DecisionMetrics(runtime.metrics.registry)
    watch_index(runtime.metrics.registry, index)
    runtime.on_start.append(state.load)
    runtime.on_stop.append(state.save_snapshot)
    return runtime


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The matcher HTTP app."""
    runtime = runtime or bootstrap()
    return runtime.http_app(
        build_api(), title="InnoPortal matcher",
        description="Wish-solution matches with their reasons; EMSD accepts or rejects them. "
                    "The market survey ranks every candidate for a need; possible duplicates of "
                    "a draft wish or solution.",
    )
