"""Synthetic bilingual wishes and solutions, posted through the services' own APIs."""

import asyncio
import random
from typing import Any

import httpx

from bench.matcher_scale.synth import Synth
from services.matcher.domain.glossary import default_glossary

CONCURRENCY = 16


def records(wishes: int, solutions: int, seed: int = 11) -> tuple[list[dict], list[dict]]:
    """Wish and solution bodies (English only, Chinese only or both), deterministic."""
    synth = Synth(default_glossary(), seed=seed)
    rng = random.Random(seed)

    def body(i: int) -> dict[str, Any]:
        rec = synth.solution(i)
        rec.pop("id")
        for key in ("title_en", "title_zh"):
            if key in rec:
                rec[key] = rec[key][:200]
        rec["contact_email"] = f"contact{i}@example.org"
        return rec

    made_wishes = []
    for i in range(wishes):
        rec = body(i)
        rec.pop("trl")
        rec["budget_hkd"] = rng.randint(1, 50) * 100_000
        made_wishes.append(rec)
    return made_wishes, [body(wishes + i) for i in range(solutions)]


async def post_all(url: str, path: str, bodies: list[dict], headers: dict[str, str]) -> list[str]:
    """POST every body, CONCURRENCY at a time; the ids, in order."""
    ids: list[str] = [""] * len(bodies)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(bodies)):
        queue.put_nowait(i)
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=headers) as client:
        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                answer = await client.post(path, json=bodies[i])
                answer.raise_for_status()
                ids[i] = answer.json()["id"]

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return ids
