"""The three-node JetStream cluster of deploy/nats/n1.conf … n3.conf, run on loopback for tests.

Each node's configuration is the deploy file itself with only what cannot hold on one machine
changed, each change checked to apply exactly once (a deploy file that no longer has the line
fails here loudly instead of running a cluster that is not the deployed one):

- `listen: 0.0.0.0:4222` → `127.0.0.1:<free port>` (three nodes cannot share 4222);
- `http: 127.0.0.1:8222` → `127.0.0.1:<free port>` (monitoring, used to see a node is healthy);
- `store_dir: "/var/lib/nats/nK"` → a directory under the test's own;
- the cluster's `listen: 0.0.0.0:6222` → `127.0.0.1:<free port>`, and each route
  `nats-route://natsK.innoportal.internal:6222` → node K's cluster port on 127.0.0.1.

Everything else stays as operators get it: `server_name`, `sync_interval: always`, the limits,
lame duck, the two users with their passwords from the environment ($INNOPORTAL_NATS_PASSWORD,
$NATS_ADMIN_PASSWORD, set here per cluster), the cluster name, routes to all three,
`no_advertise: true`. The services' URL is the comma-separated list of deploy/README.md.
"""

import asyncio
import json
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nats
from nats.js.api import StreamInfo

from innoportal.natsbin import nats_server_binary
from innoportal.testing.nats_server import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_NATS = ROOT / "deploy" / "nats"
NODES = ("n1", "n2", "n3")
START_TIMEOUT = 30.0


def _replace_once(text: str, pattern: str, replacement: str, what: str) -> str:
    """`text` with the one match of `pattern` (multiline) replaced; an error naming `what`
    when the deploy file has it not exactly once."""
    new, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"deploy config: expected one {what} ({pattern!r}), found {count}")
    return new


def loopback_config(text: str, *, client_port: int, http_port: int, cluster_port: int,
                    store_dir: Path, route_ports: dict[int, int]) -> str:
    """A deploy node config with its ports, store dir and routes moved to loopback.

    `route_ports` maps the number K of each host `natsK.innoportal.internal` to the cluster
    port of node K here.
    """
    text = _replace_once(text, r"^listen: 0\.0\.0\.0:4222$", f"listen: 127.0.0.1:{client_port}",
                         "client listen")
    text = _replace_once(text, r"^http: 127\.0\.0\.1:8222$", f"http: 127.0.0.1:{http_port}",
                         "monitoring port")
    text = _replace_once(text, r'^(\s+)store_dir: "/var/lib/nats/n\d"$',
                         rf'\1store_dir: "{store_dir}"', "JetStream store_dir")
    text = _replace_once(text, r"^(\s+)listen: 0\.0\.0\.0:6222$",
                         rf"\g<1>listen: 127.0.0.1:{cluster_port}", "cluster listen")

    found: list[int] = []

    def route(match: re.Match) -> str:
        k = int(match.group(1))
        found.append(k)
        return f"nats-route://127.0.0.1:{route_ports[k]}"

    text = re.sub(r"nats-route://nats(\d)\.innoportal\.internal:6222", route, text)
    if sorted(found) != sorted(route_ports):
        raise ValueError(f"deploy config: routes to nodes {sorted(found)}, expected "
                         f"{sorted(route_ports)}")
    # What makes this the deployed cluster, checked rather than trusted.
    for needed in (r"^\s+sync_interval: always$", r"^\s+no_advertise: true$",
                   r"\$INNOPORTAL_NATS_PASSWORD", r"\$NATS_ADMIN_PASSWORD"):
        if not re.search(needed, text, flags=re.MULTILINE):
            raise ValueError(f"deploy config lacks {needed!r}")
    return text


@dataclass
class ClusterNode:
    """One node: its ports, files and process."""

    name: str
    client_port: int
    http_port: int
    cluster_port: int
    conf: Path
    store_dir: Path
    log: Path
    proc: subprocess.Popen | None = None
    starts: int = 0

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def healthy(self) -> bool:
        """Whether /healthz says the node and its JetStream are fine (meta leader known, caught
        up)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/healthz",
                                        timeout=1) as answer:
                return answer.status == 200 and json.load(answer).get("status") == "ok"
        except (OSError, ValueError):
            return False


@dataclass
class NatsCluster:
    """The three deploy nodes on loopback, in `base_dir`; start, SIGKILL and restart nodes."""

    base_dir: Path
    deploy_dir: Path = DEPLOY_NATS
    user_password: str = field(default_factory=lambda: secrets.token_hex(16))
    admin_password: str = field(default_factory=lambda: secrets.token_hex(16))
    nodes: dict[str, ClusterNode] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base_dir = Path(self.base_dir)
        self.base_dir.mkdir(parents=True, exist_ok=True)
        ports: list[int] = []
        while len(ports) < 3 * len(NODES):
            port = free_port()
            if port not in ports:
                ports.append(port)
        for i, name in enumerate(NODES):
            client, http, cluster = ports[3 * i: 3 * i + 3]
            self.nodes[name] = ClusterNode(
                name, client, http, cluster, conf=self.base_dir / f"{name}.conf",
                store_dir=self.base_dir / name, log=self.base_dir / f"{name}.log")
        route_ports = {i + 1: self.nodes[name].cluster_port for i, name in enumerate(NODES)}
        for name, node in self.nodes.items():
            text = (self.deploy_dir / f"{name}.conf").read_text()
            node.conf.write_text(loopback_config(
                text, client_port=node.client_port, http_port=node.http_port,
                cluster_port=node.cluster_port, store_dir=node.store_dir,
                route_ports=route_ports))

    # Addresses -------------------------------------------------------------------------------

    def url(self, name: str, user: str = "innoportal") -> str:
        """nats:// URL of node `name` with `user`'s credentials (innoportal or admin)."""
        password = self.user_password if user == "innoportal" else self.admin_password
        return f"nats://{user}:{password}@127.0.0.1:{self.nodes[name].client_port}"

    @property
    def services_url(self) -> str:
        """INNOPORTAL_NATS_URL as deploy/README.md tells operators: all three, comma-separated."""
        return ",".join(self.url(name) for name in NODES)

    def admin_servers(self, *, running_only: bool = True) -> list[str]:
        """The admin user's URL of each node (of each running one by default)."""
        return [self.url(name, "admin") for name, node in self.nodes.items()
                if node.running or not running_only]

    # Processes -------------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INNOPORTAL_")}
        env.update(INNOPORTAL_NATS_PASSWORD=self.user_password,
                   NATS_ADMIN_PASSWORD=self.admin_password)
        return env

    def start_node(self, name: str) -> ClusterNode:
        """Start node `name` from its config (again after a kill: same ports, same store)."""
        node = self.nodes[name]
        assert not node.running, f"{name} is already running"
        node.store_dir.mkdir(parents=True, exist_ok=True)
        with open(node.log, "ab") as log:  # the process keeps its own descriptor
            log.write(f"=== start {node.starts + 1} of {name}\n".encode())
            log.flush()
            node.proc = subprocess.Popen([nats_server_binary(), "-c", str(node.conf)],
                                         env=self._env(), stdout=log, stderr=subprocess.STDOUT)
        node.starts += 1
        return node

    def wait_healthy(self, names: list[str] | None = None, timeout: float = START_TIMEOUT) -> None:
        """Wait until each node of `names` (default all) answers /healthz ok."""
        waiting = list(names or NODES)
        deadline = time.monotonic() + timeout
        while waiting:
            for name in list(waiting):
                node = self.nodes[name]
                if not node.running:
                    raise RuntimeError(f"nats-server {name} exited:\n{self.tail(name)}")
                if node.healthy():
                    waiting.remove(name)
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"nats-server {waiting} not healthy within {timeout}s:\n"
                                   + "\n".join(self.tail(n) for n in waiting))
            if waiting:
                time.sleep(0.1)

    def start(self, timeout: float = START_TIMEOUT) -> "NatsCluster":
        """Start the three nodes and wait until each is healthy (the cluster has formed)."""
        for name in NODES:
            self.start_node(name)
        self.wait_healthy(timeout=timeout)
        return self

    def kill(self, name: str) -> None:
        """SIGKILL node `name`, as a crash or a power cut of its host would stop it."""
        node = self.nodes[name]
        assert node.proc is not None and node.running, f"{name} is not running"
        node.proc.send_signal(signal.SIGKILL)
        node.proc.wait()

    def restart(self, name: str, timeout: float = START_TIMEOUT) -> None:
        """Start a killed node again and wait until it is healthy (caught up with the others)."""
        self.start_node(name)
        self.wait_healthy([name], timeout=timeout)

    def stop(self) -> None:
        """Stop every node still running (SIGTERM, then SIGKILL); their data stays."""
        for node in self.nodes.values():
            if node.running:
                assert node.proc is not None
                node.proc.terminate()
        for node in self.nodes.values():
            if node.proc is not None:
                try:
                    node.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    node.proc.kill()
                    node.proc.wait()

    def tail(self, name: str, chars: int = 3000) -> str:
        """The end of node `name`'s log."""
        log = self.nodes[name].log
        text = log.read_text(errors="replace") if log.exists() else ""
        return f"--- {name}.log\n{text[-chars:]}"

    # JetStream, seen as an operator sees it --------------------------------------------------

    async def connect(self, **options):
        """An admin connection to the running nodes (nats-py)."""
        return await nats.connect(servers=self.admin_servers(), connect_timeout=2,
                                  max_reconnect_attempts=2, reconnect_time_wait=0.2,
                                  allow_reconnect=True, **options)

    async def stream_info(self, stream: str = "INNOPORTAL", timeout: float = 2.0) -> StreamInfo:
        """The stream's info from the running nodes: config, state, cluster (leader, replicas)."""
        nc = await self.connect()
        try:
            return await nc.jetstream(timeout=timeout).stream_info(stream)
        finally:
            await nc.close()

    def step_down(self, stream: str = "INNOPORTAL", preferred: str | None = None) -> None:
        """Ask the leader of `stream` to step down, for `preferred` when given (nats-server
        2.11+ places the new leader there if that replica is current)."""

        async def ask() -> dict:
            nc = await self.connect()
            try:
                body = {"placement": {"preferred": preferred}} if preferred else {}
                answer = await nc.request(f"$JS.API.STREAM.LEADER.STEPDOWN.{stream}",
                                          json.dumps(body).encode(), timeout=5)
                return json.loads(answer.data)
            finally:
                await nc.close()

        answer = asyncio.run(ask())
        if not answer.get("success"):
            raise RuntimeError(f"stream {stream}: step down refused: {answer}")

    def clients(self) -> dict[str, list[str]]:
        """Which node each named client connection is on now (from each running node's
        /connz): connection name -> node names (one each, unless the name is shared)."""
        where: dict[str, list[str]] = {}
        for name, node in self.nodes.items():
            if not node.running:
                continue
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{node.http_port}/connz?limit=4096", timeout=2) as r:
                    connz = json.load(r)
            except (OSError, ValueError):
                continue
            for conn in connz.get("connections") or []:
                if conn.get("name"):
                    where.setdefault(conn["name"], []).append(name)
        return where

    def stream_state(self, name: str, stream: str = "INNOPORTAL") -> dict | None:
        """Node `name`'s own copy of `stream` (/jsz): messages, first_seq, last_seq…; None when
        the node does not answer or has no copy."""
        url = (f"http://127.0.0.1:{self.nodes[name].http_port}/jsz?accounts=true&streams=true")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                jsz = json.load(r)
        except (OSError, ValueError):
            return None
        for account in jsz.get("account_details") or []:
            for detail in account.get("stream_detail") or []:
                if detail.get("name") == stream:
                    return detail.get("state")
        return None

    def stream_leader(self, stream: str = "INNOPORTAL", timeout: float = 2.0) -> str | None:
        """The name of the node leading `stream` now; None while there is none (an election),
        or while no running node can say."""
        try:
            info = asyncio.run(self.stream_info(stream, timeout))
        except Exception:  # no leader to answer yet, or not connected: ask again later
            return None
        cluster = info.cluster
        return cluster.leader if cluster is not None and cluster.leader else None


@contextmanager
def running_cluster(base_dir: Path) -> Iterator[NatsCluster]:
    """The three deploy nodes on loopback until the block ends."""
    cluster = NatsCluster(base_dir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
