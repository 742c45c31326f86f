"""Wiring of the trials service: real adapters by default, any of them replaceable."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError

from innoportal.runtime import Runtime
from innoportal.uow import unit_of_work
from services.trials import service
from services.trials.api import BATCH_PATH, install_trials_errors
from services.trials.api import router as api_router
from services.trials.bus import build_router
from services.trials.models import TRIALS_TABLES
from services.trials.settings import TrialsSettings


class TrialsRuntime(Runtime):
    """The kernel runtime, plus the venues every installation starts with."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The first start hook: after the migrations, before the bus or anything else.
        self.on_start.insert(0, lambda: seed_venues(self))


async def seed_venues(runtime: Runtime) -> None:
    """Insert the seeded venues when missing; safe to run by several replicas at once."""
    try:
        async with unit_of_work(runtime.db) as uow:
            await service.seed_venues(uow)
    except IntegrityError:
        pass  # another replica inserted them at the same moment: they are there


def bootstrap(settings: TrialsSettings | None = None, **adapters: Any) -> Runtime:
    """The trials runtime (database, broker, relay); pass db=, broker=, common= to replace."""
    return TrialsRuntime(settings=settings or TrialsSettings(), build_router=build_router,
                         tables=TRIALS_TABLES, **adapters)


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The trials HTTP app."""
    runtime = runtime or bootstrap()
    app = runtime.http_app(
        api_router, title="InnoPortal trials",
        description="EMSD plans and runs field trials of accepted matches at government venues "
        "and publishes each trial's performance report.",
        larger_bodies={BATCH_PATH: runtime.settings.max_batch_body_bytes},
    )
    install_trials_errors(app)
    return app
