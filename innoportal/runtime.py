"""The wiring of one service process: database, broker, outbox relay, metrics and the HTTP app."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Table

from contracts import STREAM_NAME
from innoportal.bus import BusWatch, bus_series, ensure_streams, make_broker, reconcile_consumers
from innoportal.consume import ConsumePolicy, ServiceRouter
from innoportal.db import Database
from innoportal.http import BodyLimit, HttpMetrics, health_router, install_error_handlers
from innoportal.http_ops import RequestContext, route_templates
from innoportal.idempotency import IDEMPOTENCY_TABLES
from innoportal.metrics import ServiceMetrics
from innoportal.migrate import History, history_of, prepare
from innoportal.outbox import OUTBOX_TABLES
from innoportal.relay import OutboxRelay
from innoportal.retention import Retention, processed_events_rule
from innoportal.services import record_kinds
from innoportal.settings import CommonSettings, ServiceSettings, common_settings
from innoportal.tracing import configured_provider, instrument_app

log = logging.getLogger("innoportal.runtime")


def js_of(broker: NatsBroker) -> Callable[[], Any]:
    """The broker's JetStream context, asked for when needed (the connection may be renewed)."""
    return lambda: broker.connection.jetstream()


def policy_from(common: CommonSettings) -> ConsumePolicy:
    """The consume policy configured by INNOPORTAL_MAX_ATTEMPTS and friends."""
    return ConsumePolicy(
        max_attempts=common.max_attempts,
        base_delay=common.retry_base_delay,
        max_delay=common.retry_max_delay,
        handler_timeout=common.handler_timeout,
        ack_wait=common.ack_wait,
    )


class Runtime:
    """One service's adapters; real ones by default, any of them replaceable for tests."""

    def __init__(
        self,
        *,
        settings: ServiceSettings,
        build_router: Callable[["Runtime"], ServiceRouter],
        tables: Sequence[Table],
        common: CommonSettings | None = None,
        db: Database | None = None,
        broker: NatsBroker | None = None,
        metrics: ServiceMetrics | None = None,
        history: History | None = None,
        tracer_provider: Any = None,
    ) -> None:
        self.name = settings.name
        self.settings = settings
        self.common = common or common_settings()
        self.metrics = metrics or ServiceMetrics(self.name, record_kinds(self.name))
        self.policy = policy_from(self.common)
        self.db = db or Database(settings.database_url_or_default(self.common))
        # Traces: the process's provider (INNOPORTAL_OTLP_ENDPOINT), or a test's; None, none.
        self.tracer_provider = tracer_provider or configured_provider()
        self.bus_watch = BusWatch(self.metrics)
        self.broker = broker or make_broker(
            self.common.nats_url, service=self.name, metrics=self.metrics, policy=self.policy,
            watch=self.bus_watch, tracer_provider=self.tracer_provider,
        )
        # The router is built per runtime so its handlers can close over this runtime's adapters.
        self.router = build_router(self)
        self.broker.include_router(self.router)
        # Every series exists from the start, at 0.
        self.metrics.prime_consumers(spec.durable for spec in self.router.durables)
        self.metrics.prime_faststream(*bus_series(self.router))
        self.metrics.parked.watch(spec.durable for spec in self.router.durables)
        self.tables = [*tables, *OUTBOX_TABLES, *IDEMPOTENCY_TABLES]
        # The service's migration history (services/<name>/migrations); None for a runtime of
        # no service of ours (a test's toy consumer, a benchmark), whose tables are just created.
        self.history = history or history_of(self.name, self.tables)
        self.retention = Retention(
            self.db, [processed_events_rule(timedelta(days=self.common.processed_events_keep_days))],
            interval=self.common.retention_interval_seconds, batch=self.common.retention_batch)
        self.relay = OutboxRelay(
            self.db,
            self.publish,
            metrics=self.metrics,
            batch=self.common.outbox_batch,
            poll_interval=self.common.outbox_poll_interval,
            max_backoff=self.common.outbox_max_backoff,
            keep_published=timedelta(hours=self.common.outbox_keep_published_hours),
            bus_connected=lambda: self.bus_watch.connected,
        )
        self._bus_task: asyncio.Task | None = None
        self._parked_task: asyncio.Task | None = None
        self.bus_started = asyncio.Event()
        # Service hooks: run after the tables exist and before the bus delivers anything
        # (seed data, load an index), and at stop before the database closes (save state).
        self.on_start: list[Callable[[], Awaitable[None]]] = []
        self.on_stop: list[Callable[[], Awaitable[None]]] = []

    @property
    def secret_key(self) -> str:
        """The secret that signs tokens and links (resolved when first needed)."""
        return self.common.resolved_secret()

    async def publish(self, subject: str, payload: bytes, headers: dict[str, str]) -> Any:
        """Publish to JetStream and wait for the stream's ack (raises if not stored)."""
        return await self.broker.publish(
            payload, subject, headers=headers, stream=STREAM_NAME, timeout=5.0
        )

    async def prepare_database(self) -> None:
        """Migrate the schema to this release's head (with INNOPORTAL_MIGRATE=0, insist it is
        there); MigrationError, and the database unchanged, when that fails."""
        if self.history is None:
            await self.db.create_all(self.tables)
            return
        await prepare(self.db, self.history, apply=self.common.migrate)

    async def start(self, *, bus: bool = True, relay: bool = True) -> None:
        """Migrate, then connect the bus in the background and start the relay and retention."""
        await self.prepare_database()
        for hook in self.on_start:
            await hook()
        self.retention.start()
        if bus:
            self._bus_task = asyncio.create_task(self._connect_bus(), name=f"{self.name}-bus")
        if relay:
            self.relay.start()

    async def _connect_bus(self) -> None:
        # Keep trying: a service starts (and serves HTTP, storing events in its outbox)
        # even while NATS is away; readiness says so until the bus is up.
        delay, failures = 0.5, 0
        while True:
            try:
                await self.broker.connect()
                js = self.broker.connection.jetstream()
                await ensure_streams(js, self.common.stream_replicas,
                                     parked_max_age=self.common.parked_keep_days * 86400)
                await reconcile_consumers(js, self.router.durables, self.policy)
                await self.broker.start()
                self.bus_started.set()
                self.bus_watch.up()
                self._parked_task = asyncio.create_task(self.metrics.parked.run(
                    js_of(self.broker), self.common.parked_refresh_seconds),
                    name=f"{self.name}-parked-metrics")
                log.info("%s connected to NATS", self.name)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # said once; then DEBUG until connected (INFO)
                failures += 1
                log.log(logging.WARNING if failures == 1 else logging.DEBUG,
                        "%s: NATS not reachable (%s); retrying in %.1fs", self.name, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def bus_ready(self) -> bool:
        """Whether the broker is connected and its subscribers started."""
        try:
            ok = self.bus_started.is_set() and self.broker.connection.is_connected
        except Exception:
            ok = False
        self.metrics.bus_connected.set(1 if ok else 0)
        return ok

    async def stop(self) -> None:
        """Stop the relay, retention and the bus, then close the database."""
        await self.relay.stop()
        await self.retention.stop()
        for task in (self._bus_task, self._parked_task):
            if task is None:
                continue
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self.bus_watch.closing = True  # closing the connection on purpose is no news
        try:
            await self.broker.stop()
        except Exception as exc:  # already closed or never connected
            log.debug("broker stop: %s", exc)
        for hook in self.on_stop:
            try:
                await hook()
            except Exception:
                log.exception("%s: stop hook failed", self.name)
        await self.db.dispose()

    def http_app(
        self, api: APIRouter, *, title: str, description: str = "",
        larger_bodies: Mapping[str, int] | None = None, too_large: Any = None,
    ) -> FastAPI:
        """The service's FastAPI app: its API plus health, readiness, metrics and error handling;
        `larger_bodies` maps path patterns that take bodies over max_body_bytes to their limit,
        and `too_large(scope, limit)` answers a body over it (default: the JSON error)."""

        @asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            await self.start()
            try:
                yield
            finally:
                await self.stop()

        app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan)
        app.state.runtime = self
        app.state.secret_key = self.secret_key
        install_error_handlers(app)
        app.include_router(api)
        app.include_router(
            health_router(self.metrics, {"database": self.db.ping, "bus": self.bus_ready})
        )
        app.add_middleware(BodyLimit, max_bytes=self.settings.max_body_bytes,
                           larger=larger_bodies, too_large=too_large)
        app.add_middleware(HttpMetrics, metrics=self.metrics)
        app.add_middleware(RequestContext)  # outermost of ours: every line of a request has its id
        self.metrics.prime_routes(route_templates(app))  # every route's series from 0
        instrument_app(app, self.tracer_provider)
        return app
