"""Traces with OpenTelemetry: exported by OTLP when INNOPORTAL_OTLP_ENDPOINT is set, else none.

A trace runs from an HTTP request through the outbox (the W3C traceparent is stored with the
event's row and sent as a header when the relay publishes it), NATS and the consumers (FastStream's
telemetry middleware), to what they do later (the notifier keeps it with each queued email).
Unset, no tracer provider exists, no instrumentation is installed and no span is made.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
TRACE_KEY = "traceparent"  # under this key a stored JSON (a job, a queued email) keeps its trace
_configured: Any = None  # the process's TracerProvider, once configure_tracing made one
# Probes and scrapes would be most of the spans and tell nothing.
UNTRACED_URLS = "healthz,readyz,metrics"


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector's base address (http://host:4318)."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith("/v1/traces") else endpoint + "/v1/traces"


def configure_tracing(service: str, endpoint: str) -> Any:
    """Export this process's spans by OTLP/HTTP to `endpoint`; None (and nothing) when unset."""
    global _configured
    if not endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create(
        {"service.name": f"innoportal-{service}", "service.namespace": "innoportal"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(endpoint))))
    trace.set_tracer_provider(provider)
    # The portal's calls to the services carry the trace on (its pooled httpx clients).
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    _configured = provider
    return provider


def configured_provider() -> Any:
    """The TracerProvider configure_tracing made in this process, or None."""
    return _configured


def tracer(provider: Any, name: str) -> trace.Tracer:
    """A tracer of `provider`; one that makes no spans when there is no provider."""
    return provider.get_tracer(name) if provider is not None else trace.NoOpTracer()


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, or None outside any trace."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{int(ctx.trace_flags):02x}"


def current_trace_id() -> str | None:
    """The current trace id (32 hex digits), or None outside any trace."""
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def context_of(traceparent: str | None) -> otel_context.Context | None:
    """The context a stored traceparent continues, or None."""
    if not traceparent:
        return None
    ctx = _PROPAGATOR.extract({"traceparent": traceparent})
    return ctx if trace.get_current_span(ctx).get_span_context().is_valid else None


@contextmanager
def continued(traceparent: str | None) -> Iterator[None]:
    """Within the block, the trace `traceparent` names is the current one (if any)."""
    ctx = context_of(traceparent)
    if ctx is None:
        yield
        return
    token = otel_context.attach(ctx)
    try:
        yield
    finally:
        otel_context.detach(token)


def instrument_app(app: Any, provider: Any) -> None:
    """FastAPI's instrumentation on `app`: a server span per request (not probes, scrapes)."""
    if provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider,
                                       excluded_urls=UNTRACED_URLS,
                                       exclude_spans=["receive", "send"])
