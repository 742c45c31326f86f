"""Reading the INNOPORTAL_PARKED stream, for operators."""

import nats
from nats.js.errors import NotFoundError

from contracts.streams import PARKED_STREAM_NAME


async def list_parked(nats_url: str, limit: int = 1000) -> list[dict]:
    """The parked messages (newest last) with consumer, subject, attempts and reason."""
    servers = [s.strip() for s in nats_url.split(",") if s.strip()]
    nc = await nats.connect(servers=servers, connect_timeout=3, max_reconnect_attempts=1)
    try:
        js = nc.jetstream()
        try:
            info = await js.stream_info(PARKED_STREAM_NAME)
        except NotFoundError:
            return []
        rows = []
        first = max(1, info.state.first_seq, info.state.last_seq - limit + 1)
        for seq in range(first, info.state.last_seq + 1):
            try:
                msg = await js.get_msg(PARKED_STREAM_NAME, seq)
            except NotFoundError:
                continue
            h = msg.headers or {}
            rows.append({
                "seq": seq,
                "time": str(getattr(msg, "time", "")),
                "consumer": h.get("Innoportal-Parked-Consumer", "?"),
                "subject": h.get("Innoportal-Original-Subject", "?"),
                "attempts": h.get("Innoportal-Attempts", "?"),
                "reason": h.get("Innoportal-Parked-Reason", ""),
                "data": msg.data,
            })
        return rows
    finally:
        await nc.close()
