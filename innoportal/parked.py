"""Parked messages (stream INNOPORTAL_PARKED), for operators: list, replay, purge.

A replay publishes the message again on its original subject in INNOPORTAL, then deletes it
from the parked stream. Its original Nats-Msg-Id (the event id) is still within the stream's
duplicate window when a message is parked quickly, so the replay goes out under a Nats-Msg-Id of
its own; the consumer's idempotency key is the event_id inside the message, so a replay of an
event whose effect already happened has no second effect. The replay names the consumer that
parked it (innoportal.replay): the other consumers of the subject ack it unread. If it fails
again, the consumer parks it again with the new reason, as any message.
"""

import json
import uuid
from fnmatch import fnmatch
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import nats
from nats.js.errors import BucketNotFoundError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.errors import NotFoundError

from contracts.streams import (
    PARKED_STREAM_NAME,
    PARKED_SUBJECT_PREFIX,
    STREAM_NAME,
    STREAM_SUBJECTS,
)
from innoportal.replay import REPLAY_FOR, REPLAY_OF, REPLAY_SEQ

# Replays and purges per consumer, kept in NATS for the services' metrics (the CLI that does
# them does not live long enough to be scraped).
COUNTS_BUCKET = "INNOPORTAL_PARKED_COUNTS"


@dataclass(frozen=True)
class Parked:
    """One parked message and what its headers say."""

    seq: int
    time: datetime | None
    consumer: str
    subject: str  # the original subject, where a replay goes
    attempts: str
    reason: str
    data: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Selection:
    """Which parked messages an operator means: ids, or all (of one consumer, older than …)."""

    ids: tuple[int, ...] = ()
    consumer: str | None = None
    older_than: timedelta | None = None

    def admits(self, msg: Parked, now: datetime) -> bool:
        """Whether `msg` is selected (the ids are looked up directly)."""
        if self.consumer and msg.consumer != self.consumer:
            return False
        if self.older_than is not None:
            return msg.time is not None and msg.time <= now - self.older_than
        return True


@asynccontextmanager
async def jetstream(nats_url: str) -> AsyncIterator[nats.js.JetStreamContext]:
    """A JetStream context on a short-lived connection to any of the servers listed."""
    servers = [s.strip() for s in nats_url.split(",") if s.strip()]
    nc = await nats.connect(servers=servers, connect_timeout=3, max_reconnect_attempts=1)
    try:
        yield nc.jetstream()
    finally:
        await nc.close()


def _parked(msg) -> Parked:
    h = dict(msg.headers or {})
    time = msg.time if isinstance(msg.time, datetime) else None
    return Parked(
        seq=msg.seq, time=time.astimezone(UTC) if time else None,
        consumer=h.get("Innoportal-Parked-Consumer", "?"),
        subject=h.get("Innoportal-Original-Subject", ""),
        attempts=h.get("Innoportal-Attempts", "?"), reason=h.get("Innoportal-Parked-Reason", ""),
        data=msg.data or b"", headers=h)


async def iter_parked(js, consumer: str | None = None, seq: int = 1) -> AsyncIterator[Parked]:
    """Every parked message (of one consumer) from sequence `seq` on, oldest first."""
    subject = f"{PARKED_SUBJECT_PREFIX}.{consumer}" if consumer else f"{PARKED_SUBJECT_PREFIX}.>"
    while True:
        try:
            msg = await js.get_msg(PARKED_STREAM_NAME, seq=seq, next=True, subject=subject)
        except NotFoundError:  # past the last one, or no stream yet
            return
        yield _parked(msg)
        seq = msg.seq + 1


async def selected(js, selection: Selection) -> tuple[list[Parked], list[int]]:
    """The parked messages selected, and the ids asked for that are not parked (or not C's)."""
    now = datetime.now(UTC)
    if not selection.ids:
        return [m async for m in iter_parked(js, selection.consumer) if selection.admits(m, now)], []
    found, missing = [], []
    for seq in selection.ids:
        try:
            msg = _parked(await js.get_msg(PARKED_STREAM_NAME, seq))
        except NotFoundError:
            msg = None
        if msg is not None and selection.admits(msg, now):
            found.append(msg)
        else:
            missing.append(seq)
    return found, missing


async def list_parked(nats_url: str, limit: int = 1000) -> list[dict]:
    """The parked messages (newest last, at most `limit`) with consumer, subject, attempts, reason."""
    async with jetstream(nats_url) as js:
        try:
            last = (await js.stream_info(PARKED_STREAM_NAME)).state.last_seq
        except NotFoundError:
            return []
        return [{"seq": m.seq, "time": str(m.time or ""), "consumer": m.consumer,
                 "subject": m.subject or "?", "attempts": m.attempts, "reason": m.reason,
                 "data": m.data} async for m in iter_parked(js, seq=max(1, last - limit + 1))]


async def replay(js, msg: Parked) -> None:
    """Publish `msg` again on its original subject for its consumer, then unpark it."""
    if not any(fnmatch(msg.subject, s.replace(">", "*")) for s in STREAM_SUBJECTS):
        raise ValueError(f"parked message {msg.seq} has no original subject to go back to")
    headers = {
        # The original id may still be inside the duplicate window: this copy has its own.
        "Nats-Msg-Id": f"replay-{uuid.uuid4().hex}",
        REPLAY_FOR: msg.consumer,
        REPLAY_OF: _event_id(msg),
        REPLAY_SEQ: str(msg.seq),
        "content-type": msg.headers.get("Innoportal-Original-content-type", "application/json"),
    }
    await js.publish(msg.subject, msg.data, headers=headers, stream=STREAM_NAME, timeout=5)
    # Deleted only once the replay is stored: a crash in between replays it twice at worst,
    # which the consumer's idempotency absorbs.
    await js.delete_msg(PARKED_STREAM_NAME, msg.seq)


def _event_id(msg: Parked) -> str:
    """The event's id (its idempotency key), else the Nats-Msg-Id it was first published with."""
    try:
        return str(json.loads(msg.data)["event_id"])
    except (ValueError, KeyError, TypeError):
        return msg.headers.get("Innoportal-Original-Nats-Msg-Id", "")


async def replay_parked(nats_url: str, selection: Selection) -> tuple[list[Parked], list[int]]:
    """Replay the selected messages; those replayed, and the ids not found."""
    async with jetstream(nats_url) as js:
        chosen, missing = await selected(js, selection)
        done = []
        for msg in chosen:
            await replay(js, msg)
            done.append(msg)
        await add_counts(js, "replayed", Counter(m.consumer for m in done))
    return done, missing


async def purge_parked(nats_url: str, selection: Selection) -> tuple[list[Parked], list[int]]:
    """Delete the selected messages for good; those deleted, and the ids not found."""
    async with jetstream(nats_url) as js:
        chosen, missing = await selected(js, selection)
        for msg in chosen:
            await js.delete_msg(PARKED_STREAM_NAME, msg.seq)
        await add_counts(js, "purged", Counter(m.consumer for m in chosen))
    return chosen, missing


async def add_counts(js, what: str, counts: Counter) -> None:
    """Add to the replayed or purged totals of each consumer in COUNTS_BUCKET."""
    if not counts:
        return
    try:
        kv = await js.key_value(COUNTS_BUCKET)
    except BucketNotFoundError:
        kv = await js.create_key_value(bucket=COUNTS_BUCKET, history=1,
                                       description="Parked messages replayed and purged")
    for consumer, n in counts.items():
        while True:  # compare-and-set: two operators at once both count
            try:
                entry = await kv.get(consumer)
                totals, revision = json.loads(entry.value or b"{}"), entry.revision
            except KeyNotFoundError:
                totals, revision = {}, None
            totals[what] = totals.get(what, 0) + n
            value = json.dumps(totals).encode()
            try:
                if revision is None:
                    await kv.create(consumer, value)
                else:
                    await kv.update(consumer, value, last=revision)
                break
            except (KeyWrongLastSequenceError, nats.js.errors.BadRequestError):
                continue


async def read_counts(js, consumers: list[str]) -> dict[str, dict[str, int]]:
    """The replayed and purged totals of each consumer (zeros before any)."""
    totals = {c: {"replayed": 0, "purged": 0} for c in consumers}
    try:
        kv = await js.key_value(COUNTS_BUCKET)
    except BucketNotFoundError:
        return totals
    for consumer in consumers:
        try:
            totals[consumer].update(json.loads((await kv.get(consumer)).value or b"{}"))
        except KeyNotFoundError:
            pass
    return totals
