"""One page of a service's list, whatever the list: the items and where they sit in the whole."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.portal.adapters.upstream import Upstream
from services.portal.domain.paging import Paging
from services.portal.domain.queries import Problem


@dataclass(frozen=True)
class Listing:
    """The items of one page and the paging around them."""

    items: list[dict[str, Any]]
    paging: Paging

    @property
    def beyond_end(self) -> bool:
        """Whether the page asked for lies past the last one."""
        return self.paging.number > self.paging.last

    def page_problem(self) -> Problem | None:
        """The problem of a page asked for past the last one of a list that has items."""
        if self.beyond_end and self.paging.total:
            return Problem("input.page_beyond",
                           {"page": self.paging.number, "last": self.paging.last})
        return None


async def fetch_page(
    upstream: Upstream, service: str, path: str, *, filters: Mapping[str, Any], number: int,
    size: int, language: str,
) -> Listing:
    """Page `number` of `path` on `service`, filtered by `filters` (the API's own names)."""
    body = await upstream.get(service, path, language=language, params={
        **filters, "limit": size, "offset": (number - 1) * size})
    return Listing(items=list(body["items"]), paging=Paging(number, size, int(body["total"])))
