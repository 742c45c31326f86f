"""Show InnoPortal's JetStream streams and set their replica count, without the nats CLI.

    .venv/bin/python deploy/nats/streams.py                 # where each stream lives, R, lag
    .venv/bin/python deploy/nats/streams.py --replicas 3    # INNOPORTAL and INNOPORTAL_PARKED to R3

Same as `nats stream edit INNOPORTAL --replicas 3` (and for INNOPORTAL_PARKED). The server URL
comes from --nats-url, else INNOPORTAL_NATS_URL; several servers may be given comma-separated.
"""

import argparse
import asyncio
import os
from dataclasses import replace

import nats

STREAMS = ("INNOPORTAL", "INNOPORTAL_PARKED")


def describe(info) -> str:
    """One line on a stream: replicas, leader, followers and their state, messages."""
    cluster = info.cluster
    peers = ""
    if cluster is not None:
        replicas = ", ".join(
            f"{r.name}({'current' if r.current else 'behind'}{', offline' if r.offline else ''})"
            for r in (cluster.replicas or [])
        )
        peers = f" leader={cluster.leader} followers=[{replicas}]"
    return (f"{info.config.name}: R{info.config.num_replicas or 1}{peers} "
            f"messages={info.state.messages} bytes={info.state.bytes}")


async def run(servers: list[str], replicas: int | None) -> int:
    """Print the streams; change their replica count first when asked."""
    async def on_error(exc: Exception) -> None:
        # One line per unreachable server instead of nats-py's traceback.
        print(f"(nats: {exc!r})")

    nc = await nats.connect(servers=servers, connect_timeout=5, max_reconnect_attempts=2,
                            error_cb=on_error)
    try:
        js = nc.jetstream()
        for name in STREAMS:
            try:
                info = await js.stream_info(name)
            except nats.js.errors.NotFoundError:
                print(f"{name}: not created yet (a service creates it when it first connects)")
                continue
            if replicas is not None and (info.config.num_replicas or 1) != replicas:
                info = await js.update_stream(replace(info.config, num_replicas=replicas))
                print(f"{name}: replicas set to {replicas}")
            print(describe(info))
    finally:
        await nc.close()
    return 0


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nats-url", default=os.environ.get("INNOPORTAL_NATS_URL",
                                                             "nats://127.0.0.1:4250"))
    parser.add_argument("--replicas", type=int, choices=(1, 3, 5), default=None)
    args = parser.parse_args()
    servers = [s.strip() for s in args.nats_url.split(",") if s.strip()]
    return asyncio.run(run(servers, args.replicas))


if __name__ == "__main__":
    raise SystemExit(main())
