"""A private PostgreSQL server for tests: initdb in a temporary folder, on a free port, that a test
can restart (or crash: an immediate stop) under running services.

PostgreSQL refuses to run as root; as root, the cluster is made and run as the `postgres` user,
in a folder of its own under the system's temporary directory (pytest's are root's alone)."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from innoportal.testing.nats_server import free_port


def server_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and createdb (newest Debian version first), or None."""
    found = shutil.which("initdb")
    if found and (Path(found).resolve().parent / "createdb").exists():
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(versions[-1]).parent if versions else None


def unavailable_reason() -> str | None:
    """Why a private PostgreSQL cannot run here, or None when it can."""
    if server_binaries() is None:
        return ("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql "
                "package to run the PostgreSQL variant")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` user to run PostgreSQL as"
    return None


class PrivatePostgres:
    """One PostgreSQL cluster of our own: start(), restart(), crash(), stop() (which removes it)."""

    def __init__(self, port: int | None = None) -> None:
        reason = unavailable_reason()
        if reason:
            raise RuntimeError(reason)
        self.bin = server_binaries()
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="innoportal-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self._user = None
        if os.geteuid() == 0:
            self._user = pwd.getpwnam("postgres")
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        kwargs = {}
        if self._user is not None:
            kwargs = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}
        done = subprocess.run([str(self.bin / tool), *args], capture_output=True, text=True,
                              cwd=self.root, timeout=120, **kwargs)
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr or done.stdout}"
                               f"\n{self.log_tail()}")
        return done

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def start(self) -> "PrivatePostgres":
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                   "-c max_connections=300")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "-t", "60", "start")
        return self

    def crash(self) -> None:
        """Stop at once, as a power cut would (immediate mode: recovery from the WAL at start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def restart(self) -> None:
        """Crash and start again."""
        self.crash()
        self.start()

    def create_database(self, name: str) -> str:
        """A new database; its SQLAlchemy URL."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def url(self, database: str) -> str:
        """SQLAlchemy URL of `database` on this server."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server (fast mode) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
