"""A replayed parked message is for the one consumer that parked it: every other consumer of its
subject acknowledges it unread (it had processed the original already)."""

import asyncio
from typing import Any

from faststream import BaseMiddleware
from nats.aio.msg import Msg

# Headers of a message `innoportal parked replay` put back on its original subject.
REPLAY_FOR = "Innoportal-Replay-For"  # the durable consumer that parked it
REPLAY_OF = "Innoportal-Replay-Of"  # the event id, for people reading the stream
REPLAY_SEQ = "Innoportal-Replay-Of-Parked-Seq"  # where it was parked


def replay_target(raw: Any) -> str | None:
    """The consumer a replayed JetStream message is for (None: not a replay)."""
    if not isinstance(raw, Msg) or not raw.reply or not raw.reply.startswith("$JS.ACK."):
        return None
    return (raw.headers or {}).get(REPLAY_FOR)


class ReplayFilter(BaseMiddleware):
    """Broker middleware: a replay meant for another consumer is acked before it is even parsed.

    Without it every consumer of the subject would see the replay again, and one whose processed
    event had been pruned since (INNOPORTAL_PROCESSED_EVENTS_KEEP_DAYS) would apply it twice.
    """

    foreign = False

    async def on_receive(self) -> None:
        target = replay_target(self.msg)
        if target is not None and target != self.msg.metadata.consumer:
            self.foreign = True
            await self.msg.ack()

    async def consume_scope(self, call_next: Any, msg: Any) -> Any:
        if self.foreign:
            return None
        return await call_next(msg)

    async def after_processed(
        self, exc_type: Any = None, exc_val: BaseException | None = None, exc_tb: Any = None
    ) -> bool | None:
        # Acked already: an error parsing it is not this consumer's to retry or park.
        return self.foreign and exc_val is not None and not isinstance(
            exc_val, asyncio.CancelledError)
