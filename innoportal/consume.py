"""Durable JetStream consumers with a safe policy: redeliver a failure after a delay, park a poison message."""

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from faststream import AckPolicy, BaseMiddleware
from faststream.nats import ConsumerConfig, DeliverPolicy, NatsRouter, PullSub
from faststream.nats import AckPolicy as NatsAckPolicy
from nats.aio.msg import Msg
from pydantic import ValidationError

from contracts import PARKED_SUBJECT_PREFIX, STREAM
from contracts.streams import PARKED_STREAM_NAME
from innoportal.logs import bind, unbind
from innoportal.metrics import ServiceMetrics
from innoportal.outage import is_outage
from innoportal.tracing import current_trace_id

log = logging.getLogger("innoportal.consume")


class PoisonMessage(Exception):
    """Raised by a handler for a message that can never succeed: park it now, do not retry."""


# Failures no retry can cure: the payload itself is wrong.
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    PoisonMessage,
    ValidationError,
    json.JSONDecodeError,
    UnicodeDecodeError,
)


@dataclass(frozen=True)
class ConsumePolicy:
    """How failures are retried and when a message is parked."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    handler_timeout: float = 25.0
    ack_wait: float = 30.0

    def delay(self, attempt: int) -> float:
        """Seconds before redelivering after failed delivery number `attempt` (1-based)."""
        return min(self.max_delay, self.base_delay * 2 ** max(0, attempt - 1))


@dataclass(frozen=True)
class DurableSpec:
    """A durable consumer a service needs on the INNOPORTAL stream."""

    durable: str
    subject: str

    def consumer_config(self, policy: ConsumePolicy) -> ConsumerConfig:
        """The server-side config, reconciled at every start so config changes take effect."""
        return ConsumerConfig(
            name=self.durable,
            durable_name=self.durable,
            filter_subject=self.subject,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=NatsAckPolicy.EXPLICIT,
            ack_wait=policy.ack_wait,
            # Parking is ours to do (with a reason); the server must never drop silently.
            max_deliver=-1,
            max_ack_pending=1000,
        )


class ServiceRouter(NatsRouter):
    """The one NatsRouter of a service, with durable JetStream consumers using the safe policy."""

    def __init__(self, service: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        self.durables: list[DurableSpec] = []

    def durable(self, subject: str, name: str, *, batch: int = 32, **kwargs: Any) -> Any:
        """Decorator: a durable pull consumer `<service>-<name>` of `subject` on INNOPORTAL."""
        spec = DurableSpec(durable=f"{self.service}-{name}", subject=subject)
        self.durables.append(spec)
        return self.subscriber(
            subject,
            stream=STREAM,
            durable=spec.durable,
            pull_sub=PullSub(batch_size=batch, timeout=1.0),
            config=spec.consumer_config(ConsumePolicy()),
            # We settle every message ourselves (ReliableConsume): FastStream's default would
            # terminate a message whose handler raised, losing it.
            ack_policy=AckPolicy.MANUAL,
            **kwargs,
        )


class ReliableConsume:
    """Broker middleware factory: ack on success, nak with delay on failure, park when hopeless."""

    def __init__(self, policy: ConsumePolicy, metrics: ServiceMetrics | None = None) -> None:
        self.policy = policy
        self.metrics = metrics

    def __call__(self, msg: Any, /, *, context: Any) -> "_ReliableConsume":
        return _ReliableConsume(msg, context=context, outer=self)


def _is_jetstream(raw: Any) -> bool:
    return isinstance(raw, Msg) and bool(raw.reply) and raw.reply.startswith("$JS.ACK.")


class _ReliableConsume(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, outer: ReliableConsume) -> None:
        super().__init__(msg, context=context)
        self.outer = outer
        self._log_tokens: dict[str, Any] = {}

    async def on_receive(self) -> None:
        # Every log line about this message (ours, the handler's) names its event and consumer.
        raw = self.msg
        if isinstance(raw, Msg):
            headers = raw.headers or {}
            consumer = raw.metadata.consumer if _is_jetstream(raw) else None
            self._log_tokens = bind(event_id=headers.get("Nats-Msg-Id"), subject=raw.subject,
                                    consumer=consumer)

    async def consume_scope(self, call_next: Any, msg: Any) -> Any:
        # The telemetry middleware (outside this one) has started the message's span by now.
        self._log_tokens.update(bind(trace_id=current_trace_id()))
        if not _is_jetstream(self.msg):
            return await call_next(msg)
        # A hung handler counts as a failure, before ack_wait would redeliver it behind our back.
        async with asyncio.timeout(self.outer.policy.handler_timeout):
            return await call_next(msg)

    async def after_processed(
        self, exc_type: Any = None, exc_val: BaseException | None = None, exc_tb: Any = None
    ) -> bool | None:
        try:
            return await self._settle(exc_val)
        finally:
            unbind(self._log_tokens)

    async def _settle(self, exc_val: BaseException | None) -> bool:
        raw = self.msg
        if not _is_jetstream(raw) or raw._ackd:
            return False
        if isinstance(exc_val, asyncio.CancelledError):
            return False  # shutting down: the server redelivers after ack_wait
        meta = raw.metadata
        consumer = meta.consumer or "?"
        if exc_val is None:
            await raw.ack()
            self._count(consumer, "ok")
            return False
        attempt = meta.num_delivered or 1
        policy = self.outer.policy
        permanent = isinstance(exc_val, PERMANENT_ERRORS)
        if isinstance(exc_val, TimeoutError):
            exc_val = TimeoutError(f"handler exceeded {policy.handler_timeout}s")
        # The database away (a restart, a crash, a failover) is no fault of the message: it
        # waits for it, redelivered with the longest delay, however many attempts that takes.
        outage = not permanent and is_outage(exc_val)
        if permanent or (attempt >= policy.max_attempts and not outage):
            reason = f"{type(exc_val).__name__}: {exc_val}"[:1000]
            try:
                await park(raw, consumer, reason, attempt)
            except Exception as park_error:  # cannot park now: retry rather than lose it
                log.error("could not park message on %s: %s", raw.subject, park_error,
                          extra={"attempt": attempt})
                await raw.nak(delay=policy.delay(attempt))
                self._count(consumer, "retried")
                return True
            await raw.term()
            self._count(consumer, "parked")
            # An operator must act (fix the cause, replay it): ERROR, with the traceback.
            log.error(
                "parked message %s on %s after %d attempt(s): %s",
                meta.sequence.stream, raw.subject, attempt, reason,
                exc_info=exc_val, extra={"attempt": attempt, "reason": reason},
            )
            return True
        delay = policy.max_delay if outage and attempt >= policy.max_attempts \
            else policy.delay(attempt)
        log.warning(
            "handler failed on %s (attempt %d/%d), redelivery in %.1fs: %r",
            raw.subject, attempt, policy.max_attempts, delay, exc_val,
            extra={"attempt": attempt, "delay": delay},
        )
        await raw.nak(delay=delay)
        self._count(consumer, "retried")
        return True

    def _count(self, consumer: str, outcome: str) -> None:
        if self.outer.metrics is not None:
            self.outer.metrics.consumed.labels(consumer=consumer, outcome=outcome).inc()


async def park(raw: Msg, consumer: str, reason: str, attempts: int) -> None:
    """Store a hopeless message on parked.<consumer> in INNOPORTAL_PARKED, with its reason."""
    meta = raw.metadata
    headers = {
        "Nats-Msg-Id": f"{consumer}:{meta.sequence.stream}",
        "Innoportal-Parked-Reason": reason.replace("\r", " ").replace("\n", " "),
        "Innoportal-Parked-Consumer": consumer,
        "Innoportal-Original-Subject": raw.subject,
        "Innoportal-Original-Sequence": str(meta.sequence.stream),
        "Innoportal-Attempts": str(attempts),
    }
    for key in ("Nats-Msg-Id", "content-type"):
        if raw.headers and key in raw.headers:
            headers["Innoportal-Original-" + key] = raw.headers[key]
    js = raw._client.jetstream()
    await js.publish(
        f"{PARKED_SUBJECT_PREFIX}.{consumer}",
        raw.data,
        headers=headers,
        stream=PARKED_STREAM_NAME,
        timeout=5,
    )
