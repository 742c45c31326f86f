"""The index snapshot's file (var/matcher-index.snapshot): read whole, replaced whole."""

import asyncio
from pathlib import Path


class SnapshotFile:
    """One snapshot file, read and written off the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def read(self) -> bytes | None:
        """The snapshot's bytes; None when there is none (OSError when it cannot be read)."""
        if not self.path.exists():
            return None
        return await asyncio.to_thread(self.path.read_bytes)

    async def write(self, data: bytes) -> None:
        """Replace the snapshot at once: a crash mid-write leaves the previous one whole."""
        await asyncio.to_thread(_write_atomically, self.path, data)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
