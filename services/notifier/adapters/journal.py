"""The acceptance journal: each SMTP acceptance written down before its connection carries the
next message, at the cost of one small append, not one transaction.

The sender appends `row id, claim, Message-ID` with one write() the moment the server answers
250, then records 'sent' in the database by group commit. A process killed in between leaves the
line in the file (the kernel holds it: the durability SQLite's WAL with synchronous=NORMAL gives
its commits too), and the next start marks those rows 'sent' before it puts any row the dead
process held back to 'pending' (email_outbox.apply_journal). The file is emptied whenever every
acceptance in it is committed.

The sender also writes down each claim it takes, so that a restart knows which 'sending' rows
were its own. On SQLite one process owns the database, so every 'sending' row was; on
PostgreSQL several senders may share the database, and a restart puts back only the rows of
its own claims at once (rows of a sender that never comes back return after the lease).

One process owns a journal: `owned()` takes an exclusive lock on it, and a second process given
the same file gets None and commits each acceptance instead (workers/sender.py).
"""

import fcntl
import os
from pathlib import Path


class AcceptanceJournal:
    """An append-only file of acceptances not yet known to be committed."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    @staticmethod
    def path_beside(database_path: Path | str) -> Path:
        """Where the journal of the SQLite database at `database_path` lives."""
        return Path(f"{database_path}-accepted")

    @classmethod
    def beside(cls, database_path: Path | str) -> "AcceptanceJournal":
        """The journal of the SQLite database at `database_path`."""
        return cls(cls.path_beside(database_path))

    @classmethod
    def owned(cls, path: Path | str) -> "AcceptanceJournal | None":
        """The journal at `path`, locked for this process; None while another process holds it
        (the lock goes with the process, however it ends)."""
        journal = cls(path)
        try:
            fcntl.flock(journal._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[arg-type]
        except BlockingIOError:
            journal.close()
            return None
        return journal

    def record(self, row_id: int, claim: str, message_id: str) -> None:
        """Write one acceptance down (one write(): whole, or not at all, if the process dies)."""
        assert self._fd is not None, "journal closed"
        os.write(self._fd, f"{row_id}\t{claim}\t{message_id}\n".encode())

    def record_claim(self, claim: str) -> None:
        """Write down a claim this process took (before any of its rows is sent)."""
        assert self._fd is not None, "journal closed"
        os.write(self._fd, f"claim\t{claim}\n".encode())

    def entries(self) -> list[tuple[int, str, str]]:
        """Every acceptance written down since the file was last emptied."""
        out = []
        for parts in self._lines():
            if len(parts) == 3 and parts[0].isdigit():
                out.append((int(parts[0]), parts[1], parts[2]))
        return out

    def claims(self) -> list[str]:
        """Every claim written down since the file was last emptied."""
        return [parts[1] for parts in self._lines() if len(parts) == 2 and parts[0] == "claim"]

    def _lines(self) -> list[list[str]]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        # A torn last line (no newline) is never whole: leave it out.
        return [line.split("\t") for line in text.split("\n")[:-1]]

    def clear(self) -> None:
        """Empty the file: call only once every acceptance in it is committed."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
