"""Wiring of the wishes service: real adapters by default, any of them replaceable."""

from typing import Any

from fastapi import FastAPI

from innoportal.runtime import Runtime
from innoportal.search import warm_up_search
from services.wishes.api import router as api_router
from services.wishes.bus import build_router
from services.wishes.models import WISHES_TABLES
from services.wishes.settings import WishesSettings


def bootstrap(settings: WishesSettings | None = None, **adapters: Any) -> Runtime:
    """The wishes runtime (database, broker, relay); pass db=, broker=, common= to replace."""
    runtime = Runtime(settings=settings or WishesSettings(), build_router=build_router,
                      tables=WISHES_TABLES, **adapters)
    runtime.on_start.append(warm_up_search)
    return runtime


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The wishes HTTP app."""
    runtime = runtime or bootstrap()
    return runtime.http_app(
        api_router, title="InnoPortal wishes",
        description="Departments post wishes (needs); the public reads and searches them.",
    )
