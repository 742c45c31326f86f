"""The whole system under `innoportal up`, run by tests on free ports in a directory of their own."""

import email
import email.policy
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

from innoportal.auth import issue_token
from innoportal.services import SERVICES
from innoportal.testing.nats_server import free_port

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / ".venv" / "bin" / "innoportal"
SECRET = "e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789"
START_TIMEOUT = 90
STOP_TIMEOUT = 30


@dataclass
class System:
    """The running `innoportal up` process, its ports, environment and what it printed."""

    proc: subprocess.Popen
    cwd: Path
    env: dict[str, str]
    ports: dict[str, int]
    output: list[str] = field(default_factory=list)
    children: dict[int, str] = field(default_factory=dict)  # pid -> command line

    @property
    def printed(self) -> str:
        return "".join(self.output)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def logs(self) -> str:
        parts = []
        for log in sorted((self.cwd / "var" / "logs").glob("*.log")):
            parts.append(f"--- {log.name}\n" + log.read_text(errors="replace")[-2000:])
        return "\n".join(parts)

    def token(self, role: str, org: str, ttl: timedelta = timedelta(hours=2)) -> str:
        """A bearer token the system accepts (signed with its secret)."""
        return issue_token(self.env["INNOPORTAL_SECRET_KEY"], role=role, org=org, ttl=ttl)

    def auth(self, role: str, org: str) -> dict[str, str]:
        """The Authorization header of `role` at `org`."""
        return {"Authorization": "Bearer " + self.token(role, org)}

    def mailbox(self, address: str) -> list[EmailMessage]:
        """Every message the mail catcher kept for `address`, oldest first."""
        return [m for m in self.mails() if address in (m.get("X-Envelope-To") or "")]

    def mails(self) -> list[EmailMessage]:
        """Every message the mail catcher kept, oldest first."""
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted((self.cwd / "var" / "mail").glob("*.eml"))]


def text_of(msg: EmailMessage) -> str:
    """The plain-text part of an email."""
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def distinct_free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def child_pids(pid: int) -> dict[int, str]:
    """Direct children of `pid` with their command lines (from /proc)."""
    found: dict[int, str] = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, pids):
            found[child] = cmdline(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def alive(pid: int, command: str) -> bool:
    """Whether `pid` still runs `command` (a reused pid running something else does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and cmdline(pid) == command


def cli(system: System, *args: str) -> subprocess.Popen:
    return subprocess.Popen([str(CLI), *args], cwd=system.cwd, env=system.env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def token_of(proc: subprocess.Popen) -> str:
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    return stdout.splitlines()[-1]


def until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Call `check()` until it returns something truthy; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (httpx.HTTPError, OSError) as exc:
            last = exc
        else:
            if last:
                return last
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout}s (last: {last!r})")


@contextmanager
def running_system(cwd: Path, extra_env: dict[str, str] | None = None) -> Iterator[System]:
    """`innoportal up` in `cwd` on free ports until the block ends (then Ctrl-C, and kill leftovers)."""
    names = ["nats", "smtp", *SERVICES]
    ports = dict(zip(names, distinct_free_ports(len(names)), strict=True))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOPORTAL_")}
    env.update({
        "INNOPORTAL_SECRET_KEY": SECRET,
        "INNOPORTAL_UP_NATS_PORT": str(ports["nats"]),
        "INNOPORTAL_UP_SMTP_PORT": str(ports["smtp"]),
        "PYTHONUNBUFFERED": "1",
    })
    env.update({f"INNOPORTAL_{name.upper()}_PORT": str(ports[name]) for name in SERVICES})
    env.update(extra_env or {})
    proc = subprocess.Popen([str(CLI), "up"], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    system = System(proc, cwd, env, ports)
    started = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            system.output.append(line)
            # The table of addresses follows "InnoPortal is running"; Ctrl-C ends it.
            if "InnoPortal is running" in system.printed and "Ctrl-C" in line:
                started.set()
        started.set()  # the process ended: stop waiting

    threading.Thread(target=read, daemon=True).start()
    try:
        started.wait(START_TIMEOUT)
        assert proc.poll() is None and "InnoPortal is running" in system.printed, (
            f"`innoportal up` did not start within {START_TIMEOUT}s:\n{system.printed}\n"
            f"{system.logs()}")
        system.children = child_pids(proc.pid)
        yield system
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid, command in system.children.items():
            if alive(pid, command):  # only our own children, by pid
                os.kill(pid, signal.SIGKILL)
