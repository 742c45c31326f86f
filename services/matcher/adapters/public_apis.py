"""The public APIs the decisions export reads: the matcher's, the wishes' and the solutions'."""

from typing import Any

import httpx

PAGE = 100  # the APIs' largest page


async def _pages(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict]:
    """Every item of a paged list."""
    items: list[dict] = []
    while True:
        answer = await client.get(path, params={**params, "limit": PAGE, "offset": len(items)})
        answer.raise_for_status()
        page = answer.json()
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


async def _one(client: httpx.AsyncClient, path: str) -> dict | None:
    """One record; None when the service no longer has it (404)."""
    answer = await client.get(path)
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return answer.json()


class PublicApis:
    """Three clients with base URLs: the matcher, wishes and solutions services."""

    def __init__(self, matcher: httpx.AsyncClient, wishes: httpx.AsyncClient,
                 solutions: httpx.AsyncClient) -> None:
        self.clients = {"matcher": matcher, "wishes": wishes, "solutions": solutions}

    def sources(self) -> dict[str, str]:
        """Each service's base URL, by name."""
        return {name: str(c.base_url).rstrip("/") for name, c in self.clients.items()}

    async def matches(self, status: str) -> list[dict]:
        """Every match with this status (GET /v1/matches)."""
        return await _pages(self.clients["matcher"], "/v1/matches", status=status)

    async def wish(self, wish_id: str) -> dict | None:
        """One wish, open or closed (GET /v1/wishes/{id})."""
        return await _one(self.clients["wishes"], f"/v1/wishes/{wish_id}")

    async def solutions(self) -> list[dict]:
        """Every listed solution (GET /v1/solutions)."""
        return await _pages(self.clients["solutions"], "/v1/solutions")

    async def solution(self, solution_id: str) -> dict | None:
        """One solution (GET /v1/solutions/{id})."""
        return await _one(self.clients["solutions"], f"/v1/solutions/{solution_id}")
