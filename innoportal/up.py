"""`innoportal up`: the whole system on its embedded default, stopped cleanly by Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from innoportal.services import SERVICES
from innoportal.settings import CommonSettings
from innoportal.testing.nats_server import nats_server_binary

NATS_PORT = 4250
SMTP_PORT = 8025


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


class Supervisor:
    """Starts child processes in order and stops them in reverse order."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []

    def spawn(self, name: str, cmd: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
        """Start `cmd` with its output in `log_path`, in its own process group."""
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = open(log_path, "ab")  # noqa: SIM115 - kept open for the child's life
        proc = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.children.append((name, proc))
        return proc

    def dead(self) -> list[str]:
        """Names of children that have exited."""
        return [name for name, proc in self.children if proc.poll() is not None]

    def stop_all(self, timeout: float = 15.0) -> None:
        """SIGTERM every child, newest first; SIGKILL what has not exited within `timeout`."""
        for name, proc in reversed(self.children):
            if proc.poll() is None:
                print(f"  stopping {name} (pid {proc.pid})", flush=True)
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def run_up(only: list[str] | None = None) -> int:
    """Run everything until Ctrl-C (or SIGTERM); returns the exit code."""
    common = CommonSettings()
    data = Path(common.data_dir).resolve()
    (data / "logs").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["INNOPORTAL_DATA_DIR"] = str(data)
    common.resolved_secret()  # create var/secret_key once, before the services race for it
    sup = Supervisor()
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    exe = str(Path(sys.executable).parent / "innoportal")
    nats_port = _port("INNOPORTAL_UP_NATS_PORT", NATS_PORT)
    smtp_port = _port("INNOPORTAL_UP_SMTP_PORT", SMTP_PORT)
    ports = {name: _port(f"INNOPORTAL_{name.upper()}_PORT", info.port)
             for name, info in SERVICES.items()}
    lines = []
    try:
        if "INNOPORTAL_NATS_URL" not in os.environ:
            (data / "nats").mkdir(parents=True, exist_ok=True)
            nats_cmd = [nats_server_binary(prefer_path=True), "-a", "127.0.0.1",
                        "-p", str(nats_port), "-js", "-sd", str(data / "nats"), "-n", "innoportal"]
            sup.spawn("nats-server", nats_cmd,
                      env, data / "logs" / "nats.log")
            if not _wait_port("127.0.0.1", nats_port, 15):
                print("nats-server did not start; see var/logs/nats.log", file=sys.stderr)
                return 1
            env["INNOPORTAL_NATS_URL"] = f"nats://127.0.0.1:{nats_port}"
            lines.append(("NATS (JetStream)", env["INNOPORTAL_NATS_URL"], f"data in {data / 'nats'}"))
        else:
            lines.append(("NATS", os.environ["INNOPORTAL_NATS_URL"], "external"))
        if "INNOPORTAL_SMTP_URL" not in os.environ:
            sup.spawn("mailcatcher", [exe, "mailcatcher", "--port", str(smtp_port),
                                      "--dir", str(data / "mail")],
                      env, data / "logs" / "mailcatcher.log")
            _wait_port("127.0.0.1", smtp_port, 15)
            env["INNOPORTAL_SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}"
            lines.append(("Mail catcher (SMTP)", env["INNOPORTAL_SMTP_URL"], f"mail in {data / 'mail'}"))
        else:
            lines.append(("SMTP", os.environ["INNOPORTAL_SMTP_URL"], "external"))
        names = only or list(SERVICES)
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
            while not _healthy(port) and time.monotonic() < deadline and not stopping:
                if name in sup.dead():
                    break
                time.sleep(0.2)
            state = "up" if _healthy(port) else "NOT RESPONDING (see var/logs)"
            lines.append((f"{name} ({state})", f"http://127.0.0.1:{port}",
                          f"docs /docs, health /healthz, metrics /metrics; log var/logs/{name}.log"))
        print("\nInnoPortal is running:\n", flush=True)
        if "portal" in names:
            print(f"  Open the portal: {env['INNOPORTAL_PORTAL_URL']}/\n")
        for what, where, note in lines:
            print(f"  {what:<28} {where:<28} {note}")
        print(f"\n  token: {exe} token issue --role department --org EMSD")
        print("  Press Ctrl-C to stop everything.\n", flush=True)
        while not stopping:
            dead = sup.dead()
            if dead:
                print(f"stopped unexpectedly: {', '.join(dead)} (see var/logs); shutting down",
                      file=sys.stderr, flush=True)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        print("\nStopping InnoPortal…", flush=True)
        sup.stop_all()
        print("All stopped.", flush=True)
