"""A real nats-server with JetStream, started on a free port, that tests can stop and restart.

It runs durably, as `innoportal up` and deploy/nats do: `sync_interval: always` (JetStream fsyncs
every write before acknowledging it), from the same configuration (innoportal.natsbin.nats_config);
nats-server has no command-line flag for it."""

import socket
import subprocess
import time
from pathlib import Path

from innoportal.natsbin import nats_config
from innoportal.natsbin import nats_server_binary  # noqa: F401 - tests import it from here


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NatsServer:
    """One nats-server process with JetStream and file storage under `store_dir`.

    `sync_always=False` gives nats-server's default (fsync every 2 minutes), for a benchmark's
    comparison only; `monitor_port` serves nats-server's monitoring endpoints (/varz, /jsz).
    """

    def __init__(self, store_dir: Path, port: int | None = None, *,
                 sync_always: bool = True, monitor_port: int | None = None) -> None:
        self.store_dir = Path(store_dir)
        self.port = port or free_port()
        self.sync_always = sync_always
        self.monitor_port = monitor_port
        self.proc: subprocess.Popen | None = None

    @property
    def config_path(self) -> Path:
        """The configuration file it runs with (beside its data, as `innoportal up` keeps it)."""
        return self.store_dir / "nats.conf"

    @property
    def url(self) -> str:
        """nats:// URL of this server."""
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> "NatsServer":
        """Start the server and wait until it accepts connections."""
        self.store_dir.mkdir(parents=True, exist_ok=True)
        conf = nats_config(port=self.port, store_dir=self.store_dir, name=f"test-{self.port}")
        if not self.sync_always:
            conf = conf.replace("  sync_interval: always\n", "")
        if self.monitor_port:
            conf += f'http: "127.0.0.1:{self.monitor_port}"\n'
        self.config_path.write_text(conf)
        self.proc = subprocess.Popen(
            [nats_server_binary(), "-c", str(self.config_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nats-server did not start in time")

    def stop(self) -> None:
        """Stop the server (its data stays for a restart)."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        """SIGKILL the server, as a crash would (its data stays for a restart)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
