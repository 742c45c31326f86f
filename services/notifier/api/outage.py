"""A database the notifier cannot reach answers 503 with Retry-After, not 500: the request was
fine and will work once the database is back (the portal shows its "try again" page)."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa

from innoportal.http import request_language
from innoportal.i18n import language_headers, translate

log = logging.getLogger("innoportal.notifier.api")
RETRY_AFTER_SECONDS = "30"
# What a database that is down, restarting, unreachable or out of connections raises: the
# driver's operational errors, a lost or refused connection (asyncpg raises OSError before
# SQLAlchemy can wrap it), a pool that found no free connection in time.
OUTAGES: tuple[type[Exception], ...] = (sa.OperationalError, sa.InterfaceError, sa.TimeoutError,
                                        OSError)


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 in the one error shape, in the reader's language, with Retry-After."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                type(exc).__name__)
    language = request_language(request)
    body = {"detail": translate("service unavailable: its database cannot be reached; "
                                "try again shortly", language), "errors": []}
    return JSONResponse(body, 503, headers={"Retry-After": RETRY_AFTER_SECONDS,
                                            **language_headers(language)})


def install_outage_answer(app: FastAPI) -> None:
    """Answer a database outage with 503 and Retry-After on every route of `app`."""
    for outage in OUTAGES:
        app.add_exception_handler(outage, database_unavailable)
