"""Wiring of the solutions service: real adapters by default, any of them replaceable."""

from typing import Any

from fastapi import FastAPI

from innoportal.runtime import Runtime
from innoportal.search import warm_up_search
from services.solutions.api import router as api_router
from services.solutions.bus import build_router
from services.solutions.models import SOLUTIONS_TABLES
from services.solutions.settings import SolutionsSettings


def bootstrap(settings: SolutionsSettings | None = None, **adapters: Any) -> Runtime:
    """The solutions runtime (database, broker, relay); pass db=, broker=, common= to replace."""
    runtime = Runtime(settings=settings or SolutionsSettings(), build_router=build_router,
                      tables=SOLUTIONS_TABLES, **adapters)
    runtime.on_start.append(warm_up_search)
    return runtime


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The solutions HTTP app."""
    runtime = runtime or bootstrap()
    return runtime.http_app(
        api_router, title="InnoPortal solutions",
        description="Providers submit I&T solutions; the public reads and searches the catalogue.",
    )
