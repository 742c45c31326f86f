"""The acceptance journal: each SMTP acceptance written down before its connection carries the
next message, at the cost of one small append, not one transaction.

Used on SQLite, where one process owns the database file (and this file beside it). The sender
appends `row id, claim, Message-ID` with one write() the moment the server answers 250, then
records 'sent' in the database by group commit as before. A process killed in between leaves
the line in the file (the kernel holds it; this is the durability SQLite's WAL with
synchronous=NORMAL gives its commits too), and the next start marks those rows 'sent' before it
puts any other 'sending' row back to 'pending' (email_outbox.apply_journal). The file is emptied
whenever every acceptance in it is committed.

PostgreSQL deployments may run several senders on several hosts, and a row left 'sending' there
is taken back by whichever sender finds it after the lease, which could not read another host's
file: there the sender commits each acceptance to the database instead (workers/sender.py).
"""

import os
from pathlib import Path


class AcceptanceJournal:
    """An append-only file of acceptances not yet known to be committed."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    @classmethod
    def beside(cls, database_path: Path | str) -> "AcceptanceJournal":
        """The journal of the SQLite database at `database_path`."""
        return cls(f"{database_path}-accepted")

    def record(self, row_id: int, claim: str, message_id: str) -> None:
        """Write one acceptance down (one write(): whole, or not at all, if the process dies)."""
        assert self._fd is not None, "journal closed"
        os.write(self._fd, f"{row_id}\t{claim}\t{message_id}\n".encode())

    def entries(self) -> list[tuple[int, str, str]]:
        """Every acceptance written down since the file was last emptied."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        out = []
        for line in text.split("\n"):
            parts = line.split("\t")
            if len(parts) == 3 and parts[0].isdigit():
                out.append((int(parts[0]), parts[1], parts[2]))
        return out

    def clear(self) -> None:
        """Empty the file: call only once every acceptance in it is committed."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
