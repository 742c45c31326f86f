"""Structured logs: JSON or readable lines, ids bound per request and message, no secrets, and
ERROR only for what an operator must act on."""

import io
import json
import logging

import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider

from innoportal.logs import BUS_LOGGER, bind, configure_logging, unbind

SECRET = "the-signing-key-0123456789-abcdef"


@pytest.fixture
def output():
    """configure_logging(…) writing into a buffer; the root logger restored afterwards."""
    root, httpx_logger = logging.getLogger(), logging.getLogger("httpx")
    saved = (list(root.handlers), root.level, httpx_logger.level)
    buffer = io.StringIO()

    def setup(fmt: str = "json", level: str = "INFO") -> io.StringIO:
        configure_logging("wishes", level, fmt, stream=buffer, secrets=[SECRET])
        return buffer

    yield setup
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    httpx_logger.setLevel(saved[2])
    structlog.reset_defaults()


def parsed(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_json_lines_carry_the_service_and_the_ids_bound_to_the_task(output):
    buffer = output("json")
    tokens = bind(request_id="r-1", event_id="e-1", consumer=None)
    logging.getLogger("innoportal.test").info("stored %s", "it", extra={"attempt": 2})
    unbind(tokens)
    logging.getLogger("innoportal.test").info("after")
    first, second = parsed(buffer)
    assert first["event"] == "stored it" and first["service"] == "wishes"
    assert first["request_id"] == "r-1" and first["event_id"] == "e-1" and first["attempt"] == 2
    assert first["level"] == "info" and first["logger"] == "innoportal.test"
    assert "consumer" not in first and "request_id" not in second


def test_the_current_spans_trace_id_is_on_the_line(output):
    buffer = output("json")
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        logging.getLogger("innoportal.test").info("inside")
    [line] = parsed(buffer)
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")


def test_console_lines_are_readable(output):
    buffer = output("console")
    logging.getLogger("innoportal.test").warning("disk %s", "full")
    text = buffer.getvalue()
    assert "disk full" in text and "warning" in text and "service=wishes" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_tokens_passwords_and_the_secret_never_reach_a_line(output):
    buffer = output("json")
    access = logging.getLogger("uvicorn.access")
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET",
                "/en/sign-in/link?token=abc.def", "1.1", 200)
    logging.getLogger("innoportal.test").info(
        "smtp://alerts:hunter2@mail:587 nats://innoportal:pw@n1:4222 Bearer eyJ.x.y key %s", SECRET)
    try:
        raise ValueError(f"failed with {SECRET}")
    except ValueError:
        logging.getLogger("innoportal.test").exception("boom")
    text = buffer.getvalue()
    for secret in ("abc.def", "hunter2", ":pw@", "eyJ.x.y", SECRET):
        assert secret not in text
    access_line = parsed(buffer)[0]
    assert access_line["path"] == "/en/sign-in/link?token=[redacted]"
    assert access_line["method"] == "GET" and access_line["status"] == 200
    assert "Traceback" in parsed(buffer)[2]["exception"]


def _alembic() -> logging.Logger:
    # A logger of the alembic family of this test's own: other tests may have quietened theirs.
    logger = logging.getLogger("alembic.innoportal_test")
    logger.setLevel(logging.INFO)
    logger.disabled = False
    return logger


def _bus_record(message: str, level: int, exc: BaseException | None = None) -> None:
    logging.getLogger(BUS_LOGGER).log(level, message, exc_info=exc)


def test_what_fastStream_logs_louder_than_it_is_is_lowered(output):
    buffer = output("json")
    _bus_record("Connection broken with UnexpectedEOF()", logging.WARNING, ConnectionError("eof"))
    _bus_record("Task-18 raised an exception, retrying...", logging.ERROR, TimeoutError())
    _bus_record("ValueError: bad payload", logging.ERROR, ValueError("bad payload"))
    _bus_record("callback for Task-3 is being executed...", logging.INFO)
    _alembic().info("Context impl SQLiteImpl.")
    assert buffer.getvalue() == ""  # all DEBUG now, below INFO
    _bus_record("Task-19 raised an exception, retrying...", logging.ERROR, KeyError("bug"))
    _alembic().info("Running upgrade 0001 -> 0002")
    logging.getLogger("opentelemetry.exporter.otlp").error("Failed to export spans batch")
    [bug, upgrade, export] = parsed(buffer)
    assert bug["level"] == "error" and "KeyError" in bug["exception"]
    assert upgrade["level"] == "info" and export["level"] == "warning"


def test_lowered_lines_still_show_at_debug(output):
    buffer = output("json", level="DEBUG")
    _bus_record("Task-18 raised an exception, retrying...", logging.ERROR, TimeoutError())
    [line] = parsed(buffer)
    assert line["level"] == "debug"
