"""Structured logs with structlog: JSON lines off a terminal, readable lines on one, no secrets.

Every line carries the service and, where there is one, the request id (bound by the HTTP
middleware), the event id (bound by the consumer wrapper) and the trace id. The standard
library's loggers (uvicorn, FastStream, httpx, ours) go through structlog's ProcessorFormatter,
so their lines are JSON too, and `LevelPolicy` gives what is routine its proper level.
"""

import logging
import sys
from collections.abc import Iterable
from typing import Any, TextIO

import structlog
from structlog.contextvars import bind_contextvars, merge_contextvars, reset_contextvars
from structlog.typing import EventDict, WrappedLogger

from innoportal.redact import redact

# Fields our code (and FastStream's log context) passes with `extra=`: they become JSON keys.
EXTRA_FIELDS = (
    "consumer", "subject", "event_id", "attempt", "attempts", "delay", "reason", "seconds",
    "failures", "pending", "message_id", "outcome", "service_name", "error",
)
BUS_LOGGER = "innoportal.bus.faststream"  # the logger FastStream is given (bus.make_broker)
# Errors of a connection going away (or a fetch timing out meanwhile): the bus watch says it once.
_TRANSIENT = ("TimeoutError", "ConnectionClosedError", "UnexpectedEOF", "StaleConnectionError",
              "NoServersError", "ConnectionRefusedError", "ConnectionResetError",
              "OutboundBufferLimitError", "FlushTimeoutError")
# Alembic's INFO lines at every start (its "Running upgrade" lines stay).
_ALEMBIC_CHATTER = ("setup plugin", "Context impl", "Will assume")


def bind(**values: Any) -> dict[str, Any]:
    """Bind `values` (those not None) to every log line of this task; tokens for `unbind`."""
    return bind_contextvars(**{k: v for k, v in values.items() if v is not None})


def unbind(tokens: dict[str, Any]) -> None:
    """Undo a `bind` (made in this same context)."""
    try:
        reset_contextvars(**tokens)
    except (ValueError, RuntimeError):  # bound in another context: it ends with that one
        pass


def _service(service: str | None):
    def add_service(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
        if service:
            event.setdefault("service", service)
        return event
    return add_service


def add_trace_ids(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """trace_id and span_id of the current OpenTelemetry span, when one is recording."""
    if "trace_id" not in event:
        from opentelemetry import trace

        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            event["trace_id"] = format(ctx.trace_id, "032x")
            event["span_id"] = format(ctx.span_id, "016x")
    return event


def _access_fields(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    # uvicorn's access line comes as five arguments: keep them as fields, the path redacted.
    record, args = event.get("_record"), event.pop("positional_args", None)
    if record is not None and record.name == "uvicorn.access" and isinstance(args, tuple) \
            and len(args) == 5:
        client, method, path, version, status = args
        event.update(client=str(client), method=method, path=redact(str(path)),
                     http_version=version, status=status)
    event.pop("color_message", None)  # uvicorn's coloured copy of the message
    return event


def _redactor(secrets: Iterable[str]):
    known = [s for s in secrets if s and len(s) >= 8]

    def scrub(text: str) -> str:
        for secret in known:
            text = text.replace(secret, "[redacted]")
        return redact(text)

    def redact_secrets(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
        for key, value in event.items():
            if isinstance(value, str) and not key.startswith("_"):
                event[key] = scrub(value)
        return event
    return redact_secrets


class LevelPolicy(logging.Filter):
    """ERROR means an operator must act: what a library logs louder than it is, is lowered.

    A NATS outage is said once by the bus watch (WARNING, then INFO when back), so FastStream's
    "Connection broken" and its restarts of a pull fetch that timed out meanwhile are DEBUG; a
    handler that raised is reported by the consume policy (WARNING when it will be retried,
    ERROR when parked), so FastStream's own ERROR for it is DEBUG too. Failing to export
    traces is a WARNING: the service itself works on.
    """

    def __init__(self, threshold: int = logging.INFO) -> None:
        super().__init__()
        self.threshold = threshold

    def level_of(self, record: logging.LogRecord) -> int:
        """The level `record` deserves."""
        message = str(record.msg)
        if record.name.startswith("alembic") and message.startswith(_ALEMBIC_CHATTER):
            return logging.DEBUG
        if record.name.startswith("opentelemetry") and record.levelno > logging.WARNING:
            return logging.WARNING  # a collector away loses traces; the service works on
        if record.name != BUS_LOGGER and not record.name.startswith("nats"):
            return record.levelno
        exc = record.exc_info[1] if record.exc_info else None
        if message.startswith(("Connection broken", "Connection established", "callback for")):
            return logging.DEBUG
        if "raised an exception" in message and _is_transient(exc):
            return logging.DEBUG
        if exc is not None and message == f"{type(exc).__name__}: {exc}":
            return logging.DEBUG  # a handler's exception: the consume policy logs its fate
        return record.levelno

    def filter(self, record: logging.LogRecord) -> bool:
        level = self.level_of(record)
        if level != record.levelno:
            if level < self.threshold:
                return False
            record.levelno, record.levelname = level, logging.getLevelName(level)
        return True


def _is_transient(exc: BaseException | None) -> bool:
    return exc is not None and any(t in (c.__name__ for c in type(exc).__mro__)
                                   for t in _TRANSIENT)


def _renderer(json: bool, stream: TextIO) -> Any:
    if json:
        return structlog.processors.JSONRenderer(ensure_ascii=False, default=str)
    return structlog.dev.ConsoleRenderer(colors=stream.isatty(), sort_keys=False)


def configure_logging(service: str | None = None, level: str | int = "INFO",
                      fmt: str = "auto", stream: TextIO | None = None,
                      secrets: Iterable[str] = ()) -> logging.Handler:
    """Route structlog and the standard library's logging through one structlog formatter.

    `fmt` is json, console or auto (JSON unless `stream` is a terminal); `secrets` are values
    never to print (the signing key). Returns the root handler it installed.
    """
    stream = stream or sys.stderr
    json = fmt == "json" or (fmt == "auto" and not stream.isatty())
    threshold = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    shared = [
        merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(EXTRA_FIELDS),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _service(service),
        add_trace_ids,
        _access_fields,
    ]
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared,
                    structlog.stdlib.PositionalArgumentsFormatter(),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared, pass_foreign_args=True,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    _redactor(secrets),
                    _renderer(json, stream)],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(LevelPolicy(threshold))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(threshold)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream", BUS_LOGGER):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # A line per call from the portal to a service is noise (and its URL may carry a token).
    logging.getLogger("httpx").setLevel(max(threshold, logging.WARNING))
    return handler
