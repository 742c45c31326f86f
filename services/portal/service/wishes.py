"""The wishes pages: the searchable list, and one wish with its accepted matches and trials."""

from typing import Any

from services.portal.adapters.upstream import Upstream
from services.portal.service.listing import Listing, fetch_page


async def find_wishes(upstream: Upstream, language: str, filters: dict[str, Any], *, page: int,
                      size: int) -> Listing:
    """Wishes matching `filters` (q in either language, category, status), newest or best first."""
    return await fetch_page(upstream, "wishes", "/v1/wishes", filters=filters, number=page,
                            size=size, language=language)
