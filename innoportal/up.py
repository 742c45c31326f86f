"""`innoportal up`: the whole system on its embedded default: every process restarted if it dies,
and everything stopped cleanly by Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from innoportal.services import SERVICES
from innoportal.settings import CommonSettings
from innoportal.natsbin import durable_nats_server, nats_config

NATS_PORT = 4250
SMTP_PORT = 8025
RESTART_BASE_DELAY = 0.5  # seconds before the first restart of a child that died
RESTART_MAX_DELAY = 30.0
STABLE_AFTER = 60.0  # a child that ran this long before dying starts its backoff afresh


def _port(env: str, default: int) -> int:
    """A port from the environment (for running a second copy beside the first), else default."""
    return int(os.environ.get(env, default))


def _wait_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.3):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Child:
    """A process `up` keeps running: how to start it, and how it has fared."""

    name: str
    cmd: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    failures_in_a_row: int = 0
    restart_at: float | None = None  # when a child that died is started again


class Supervisor:
    """Starts children in order, restarts one that dies (with backoff), stops them in reverse."""

    def __init__(self, base_delay: float = RESTART_BASE_DELAY,
                 max_delay: float = RESTART_MAX_DELAY) -> None:
        self.children: list[Child] = []
        self.base_delay, self.max_delay = base_delay, max_delay

    def spawn(self, name: str, cmd: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
        """Start `cmd` with its output in `log_path`, in its own process group."""
        child = Child(name, cmd, env, log_path)
        self.children.append(child)
        return self._start(child)

    def _start(self, child: Child) -> subprocess.Popen:
        child.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(child.log_path, "ab") as log_file:  # the child keeps its own descriptor
            child.proc = subprocess.Popen(child.cmd, env=child.env, stdout=log_file,
                                          stderr=subprocess.STDOUT, start_new_session=True)
        child.started_at, child.restart_at = time.monotonic(), None
        return child.proc

    def dead(self) -> list[str]:
        """Names of children that have exited and are not running again yet."""
        return [c.name for c in self.children if c.proc is None or c.proc.poll() is not None]

    def tend(self, now: float | None = None) -> None:
        """Restart children that died: at once the first time, then waiting longer each time it
        dies again soon after starting (so a service that cannot start does not spin)."""
        now = time.monotonic() if now is None else now
        for child in self.children:
            code = child.proc.poll() if child.proc else None
            if child.proc is None or code is None:
                continue
            if child.restart_at is None:
                ran = now - child.started_at
                child.failures_in_a_row = 1 if ran >= STABLE_AFTER else child.failures_in_a_row + 1
                delay = min(self.max_delay, self.base_delay * 2 ** (child.failures_in_a_row - 1))
                child.restart_at = now + delay
                print(f"{child.name} exited (code {code}) after {ran:.0f} s; restarting in "
                      f"{delay:.1f} s", file=sys.stderr, flush=True)
            elif now >= child.restart_at:
                child.restarts += 1
                self._start(child)
                print(f"{child.name} restarted (pid {child.proc.pid}); restarts so far: "
                      f"{child.restarts}", file=sys.stderr, flush=True)

    def stop_all(self, timeout: float = 15.0) -> None:
        """SIGTERM every child, newest first; SIGKILL what has not exited within `timeout`."""
        for child in reversed(self.children):
            proc = child.proc
            if proc is not None and proc.poll() is None:
                print(f"  stopping {child.name} (pid {proc.pid})", flush=True)
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _start_nats(sup: "Supervisor", env: dict, data: Path, lines: list) -> bool:
    """Our own durable nats-server unless INNOPORTAL_NATS_URL names one; False if it failed."""
    if "INNOPORTAL_NATS_URL" in os.environ:
        lines.append(("NATS", os.environ["INNOPORTAL_NATS_URL"], "external"))
        return True
    nats_port = _port("INNOPORTAL_UP_NATS_PORT", NATS_PORT)
    (data / "nats").mkdir(parents=True, exist_ok=True)
    conf = data / "nats" / "nats.conf"
    conf.write_text(nats_config(port=nats_port, store_dir=data / "nats", name="innoportal"))
    sup.spawn("nats-server", [durable_nats_server(), "-c", str(conf)],
              env, data / "logs" / "nats.log")
    if not _wait_port("127.0.0.1", nats_port, 15):
        print("nats-server did not start; see var/logs/nats.log", file=sys.stderr)
        return False
    env["INNOPORTAL_NATS_URL"] = f"nats://127.0.0.1:{nats_port}"
    lines.append(("NATS (JetStream)", env["INNOPORTAL_NATS_URL"],
                  f"data in {data / 'nats'}, fsync before every ack"))
    return True


def _start_mail(sup: "Supervisor", env: dict, data: Path, exe: str, lines: list) -> None:
    """The mail catcher unless INNOPORTAL_SMTP_URL names a server."""
    if "INNOPORTAL_SMTP_URL" in os.environ:
        lines.append(("SMTP", os.environ["INNOPORTAL_SMTP_URL"], "external"))
        return
    smtp_port = _port("INNOPORTAL_UP_SMTP_PORT", SMTP_PORT)
    sup.spawn("mailcatcher", [exe, "mailcatcher", "--port", str(smtp_port),
                              "--dir", str(data / "mail")],
              env, data / "logs" / "mailcatcher.log")
    _wait_port("127.0.0.1", smtp_port, 15)
    env["INNOPORTAL_SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    lines.append(("Mail catcher (SMTP)", env["INNOPORTAL_SMTP_URL"], f"mail in {data / 'mail'}"))


def _start_services(sup: "Supervisor", env: dict, data: Path, exe: str, names: list[str],
                    lines: list, stopping) -> None:
    """Each service on its port, then wait (up to a minute each) for it to answer."""
    ports = {name: _port(f"INNOPORTAL_{name.upper()}_PORT", info.port)
             for name, info in SERVICES.items()}
    for name in SERVICES:  # the portal finds each service on the port it was given
        if name != "portal":
            env.setdefault(f"INNOPORTAL_PORTAL_{name.upper()}_URL", f"http://127.0.0.1:{ports[name]}")
    env.setdefault("INNOPORTAL_PORTAL_URL", f"http://127.0.0.1:{ports['portal']}")
    for name in names:
        sup.spawn(name, [exe, "serve", name, "--port", str(ports[name])], env,
                  data / "logs" / f"{name}.log")
    for name in names:
        port = ports[name]
        deadline = time.monotonic() + 60
        while not _healthy(port) and time.monotonic() < deadline and not stopping():
            if name in sup.dead():
                break
            time.sleep(0.2)
        state = "up" if _healthy(port) else "NOT RESPONDING (see var/logs)"
        lines.append((f"{name} ({state})", f"http://127.0.0.1:{port}",
                      f"docs /docs, health /healthz, metrics /metrics; log var/logs/{name}.log"))


def _print_banner(env: dict, exe: str, names: list[str], lines: list) -> None:
    print("\nInnoPortal is running:\n", flush=True)
    if "portal" in names:
        print(f"  Open the portal: {env['INNOPORTAL_PORTAL_URL']}/\n")
    for what, where, note in lines:
        print(f"  {what:<28} {where:<28} {note}")
    print(f"\n  token: {exe} token issue --role department --org EMSD")
    print("  Press Ctrl-C to stop everything.\n", flush=True)


def run_up(only: list[str] | None = None) -> int:
    """Run everything until Ctrl-C (or SIGTERM); returns the exit code."""
    common = CommonSettings()
    data = Path(common.data_dir).resolve()
    (data / "logs").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["INNOPORTAL_DATA_DIR"] = str(data)
    common.resolved_secret()  # create var/secret_key once, before the services race for it
    sup = Supervisor()
    stop = {"asked": False}

    def on_signal(signum, _frame):
        stop["asked"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    exe = str(Path(sys.executable).parent / "innoportal")
    names = only or list(SERVICES)
    lines: list[tuple[str, str, str]] = []
    try:
        if not _start_nats(sup, env, data, lines):
            return 1
        _start_mail(sup, env, data, exe, lines)
        _start_services(sup, env, data, exe, names, lines, lambda: stop["asked"])
        _print_banner(env, exe, names, lines)
        while not stop["asked"]:
            sup.tend()  # a child that died is started again, with backoff
            time.sleep(0.2)
        return 0
    finally:
        print("\nStopping InnoPortal…", flush=True)
        sup.stop_all()
        print("All stopped.", flush=True)
