"""What every part of the trials repository shares: the session holder and party mapping."""

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.trials.domain import Party


class Queries:
    """Holds the caller's session; each part of TrialsRepository queries through it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session


def party(data: dict[str, Any]) -> Party:
    """A party from its stored JSON."""
    return Party(
        **{
            k: data.get(k)
            for k in ("role", "id", "title_en", "title_zh", "contact_email", "owner_org")
        }
    )
