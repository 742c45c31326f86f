"""The services the fuzzer runs: how each is built (in-process, SQLite, no bus, no relay), its
OpenAPI (read at import, for schemathesis to make one test per operation) and its seed."""

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

import schemathesis

from innoportal.db import Database
from innoportal.runtime import Runtime
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from innoportal.testing.smtp import SmtpServer

from ..conftest import TEST_SECRET, UNUSED_NATS, token
from . import seeds
from .fuzzing import ROLES, ServiceLoop, World, with_known_ids

# The organisation of each role's token: the owners of the records the seeds store.
ORGS = {"department": seeds.DEPARTMENT, "provider": seeds.PROVIDER, "emsd": "EMSD"}
PORTAL_URL = "https://innoportal.example"


def settings_of(name: str) -> Any:
    """The service's settings as the fuzzer runs it."""
    module = import_module(f"services.{name}.settings")
    if name == "trials":
        return module.TrialsSettings(public_url=f"{PORTAL_URL}/trials")
    if name == "notifier":
        return module.NotifierSettings(send_poll_seconds=0.5)
    return getattr(module, f"{name.capitalize()}Settings")()


@cache
def matcher_text_parts() -> dict[str, Any]:
    """The matcher's glossary and analyzer, built once (a few seconds) for every runtime."""
    from services.matcher.domain import Matcher

    matcher = Matcher()
    return {"glossary": matcher.glossary, "analyzer": matcher.analyzer}


def build(name: str, data_dir: Path, **common: Any) -> tuple[Runtime, Any]:
    """The service's runtime on a SQLite file under `data_dir`, and its app."""
    module = import_module(f"services.{name}.bootstrap")
    settings = CommonSettings(nats_url=UNUSED_NATS, data_dir=data_dir, secret_key=TEST_SECRET,
                              portal_url=PORTAL_URL, **common)
    parts = matcher_text_parts() if name == "matcher" else {}
    runtime = module.bootstrap(settings_of(name), common=settings,
                               db=Database(f"sqlite+aiosqlite:///{data_dir / 'service.db'}"),
                               **parts)
    return runtime, module.create_app(runtime)


# The ids each service knows once seeded, by parameter or field name (filled by world_of).
KNOWN: dict[str, dict[str, list[Any]]] = {}


def schema_of(name: str):
    """The service's OpenAPI as schemathesis reads it (from an app that never starts), with the
    ids it will know mixed into generated paths, queries and bodies."""
    with tempfile.TemporaryDirectory() as data_dir:
        _, app = build(name, Path(data_dir))
        schema = schemathesis.openapi.from_dict(app.openapi())
    import os
    if os.environ.get("FZ_NOCOV"):
        schema.config.phases.coverage.enabled = False
    swap = with_known_ids(KNOWN.setdefault(name, {}))
    for container in ("path_parameters", "query", "body"):
        schema.hook(f"flatmap_{container}")(swap)
    return schema


@contextmanager
def world_of(name: str, data_dir: Path) -> Iterator[World]:
    """The service running on a loop of its own, seeded, with a token of each role."""
    with ExitStack() as stack:
        common: dict[str, Any] = {}
        if name == "notifier":  # a real SMTP server: what the fuzzer subscribes is confirmed by mail
            smtp = SmtpServer()
            smtp.start()
            stack.callback(smtp.stop)
            common["smtp_url"] = smtp.url
        loop = ServiceLoop()
        stack.callback(loop.close)
        runtime, app = loop.run(_build_on_loop(name, data_dir, common))
        client = loop.enter(running(runtime, app, bus=False, relay=False))
        known = KNOWN.setdefault(name, {})
        known.clear()
        known.update(loop.run(getattr(seeds, name)(client, runtime)))
        tokens = {role: token(role, ORGS[role]) if role in ORGS else None for role in ROLES}
        yield World(loop, client, known, tokens)


async def _build_on_loop(name: str, data_dir: Path, common: dict[str, Any]):
    # On the loop: whatever the runtime binds to a loop when built binds to this one.
    return build(name, data_dir, **common)
