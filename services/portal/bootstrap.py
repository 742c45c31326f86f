"""Wiring of the portal: the services' APIs over pooled HTTP, any adapter replaceable."""

from typing import Any

from fastapi import FastAPI

from innoportal.runtime import Runtime
from services.portal.adapters.upstream import Upstream
from services.portal.api import build_api
from services.portal.api.errors import install_page_errors, too_large_page
from services.portal.bus import build_router
from services.portal.models import PORTAL_TABLES
from services.portal.service.cache import Recent
from services.portal.service.home import show_home
from services.portal.settings import PortalSettings

# A CSV of measurements may be larger than a form (the reader itself stops at 256 KB).
CSV_UPLOAD = r"/(en|zh-hk)/my/trials/[^/]+/measurements/csv"
CSV_UPLOAD_BYTES = 300 * 1024


def bootstrap(settings: PortalSettings | None = None, *, upstream: Upstream | None = None,
              **adapters: Any) -> Runtime:
    """The portal runtime; pass upstream= (the services' APIs) and db=, broker=, common= to replace."""
    settings = settings or PortalSettings()
    runtime = Runtime(settings=settings, build_router=build_router, tables=PORTAL_TABLES, **adapters)
    runtime.upstream = upstream or Upstream(
        settings.upstream_urls(), timeout=settings.upstream_timeout,
        connect_timeout=settings.upstream_connect_timeout, connections=settings.upstream_connections,
    )
    runtime.on_stop.append(runtime.upstream.close)
    # Every reader gets the same home page: a crowd there asks the services once in a while.
    runtime.home = Recent(lambda: show_home(runtime.upstream, "en"), settings.home_seconds,
                          keep=lambda home: not home.down)
    return runtime


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The portal's HTTP app: pages for people, in English and Chinese."""
    runtime = runtime or bootstrap()
    app = runtime.http_app(build_api(), title="InnoPortal portal",
                           description="The public website and the signed-in workspaces.",
                           larger_bodies={CSV_UPLOAD: CSV_UPLOAD_BYTES}, too_large=too_large_page)
    install_page_errors(app)
    return app
