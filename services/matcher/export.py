"""`innoportal decisions export`: EMSD's decisions on matches, with the records they were made on,
as one JSON document that `python -m bench.matching --decisions FILE` measures the matcher on.

The format, "innoportal-decisions/1" (UTF-8 JSON, one object):

    {"format": "innoportal-decisions/1",
     "exported_at": "2026-12-02T03:04:05+00:00",
     "sources": {"matcher": URL, "wishes": URL, "solutions": URL},
     "decisions": [{"match_id", "wish_id", "solution_id",
                    "score",            # the score published with the match (0..1)
                    "decision",         # "accepted" or "rejected"
                    "reason",           # as EMSD wrote it (free text, or null)
                    "reason_kind",      # services/matcher/decisions.py: duplicate, compliance,
                                        # not_ready, cost, not_relevant, other; "none" if accepted
                    "decided_at", "created_at"}, ...],   # oldest decision first
     "wishes": [{"id", "title_en", "title_zh", "description_en", "description_zh",
                 "categories", "status"}, ...],           # every decided wish, open or closed
     "solutions": [{"id", "title_en", "title_zh", "description_en", "description_zh",
                    "categories", "trl"}, ...]}           # every listed or decided solution

It is read through the public APIs (GET /v1/matches?status=accepted|rejected, GET /v1/wishes/{id},
GET /v1/solutions), so it holds no contact email or other personal data; the matches' parties are
named by id only. The solutions are the whole catalogue: the matcher ranks a wish against all of
them, not just those EMSD saw.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from services.matcher.decisions import decision_reason

FORMAT = "innoportal-decisions/1"
TEXT = ("title_en", "title_zh", "description_en", "description_zh", "categories")
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


def _record(item: dict, *extra: str) -> dict:
    return {key: item.get(key) for key in ("id", *TEXT, *extra)}


async def export_decisions(matcher: httpx.AsyncClient, wishes: httpx.AsyncClient,
                           solutions: httpx.AsyncClient) -> dict:
    """The export document, read from the three services' APIs (clients with base URLs)."""
    decisions = []
    for status in ("accepted", "rejected"):
        for m in await _pages(matcher, "/v1/matches", status=status):
            decisions.append({
                "match_id": m["id"], "wish_id": m["wish_id"], "solution_id": m["solution_id"],
                "score": m["score"], "decision": m["status"], "reason": m["decision_reason"],
                "reason_kind": decision_reason(m["status"], m["decision_reason"]),
                "decided_at": m["decided_at"], "created_at": m["created_at"]})
    decisions.sort(key=lambda d: (d["decided_at"] or "", d["match_id"]))
    wish_records = {}
    for wish_id in dict.fromkeys(d["wish_id"] for d in decisions):
        answer = await wishes.get(f"/v1/wishes/{wish_id}")
        if answer.status_code == 404:
            continue  # a wish the wishes service no longer has: its decisions are left out
        answer.raise_for_status()
        wish_records[wish_id] = _record(answer.json(), "status")
    listed = {s["id"]: _record(s, "trl") for s in await _pages(solutions, "/v1/solutions")}
    for solution_id in dict.fromkeys(d["solution_id"] for d in decisions):
        if solution_id not in listed:  # listed no more, yet decided on: kept with its decisions
            answer = await solutions.get(f"/v1/solutions/{solution_id}")
            if answer.status_code != 404:
                answer.raise_for_status()
                listed[solution_id] = _record(answer.json(), "trl")
    return {
        "format": FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "sources": {name: str(c.base_url).rstrip("/") for name, c in (
            ("matcher", matcher), ("wishes", wishes), ("solutions", solutions))},
        "decisions": [d for d in decisions
                      if d["wish_id"] in wish_records and d["solution_id"] in listed],
        "wishes": list(wish_records.values()),
        "solutions": list(listed.values()),
    }


async def export_to_file(out: Path | None, urls: dict[str, str], *,
                         timeout: float = 30.0) -> dict:
    """Export from the services at `urls` (matcher, wishes, solutions) to `out` (None: stdout)."""
    clients = {name: httpx.AsyncClient(base_url=url, timeout=timeout)
               for name, url in urls.items()}
    try:
        doc = await export_decisions(clients["matcher"], clients["wishes"], clients["solutions"])
    finally:
        for client in clients.values():
            await client.aclose()
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if out is None:
        print(text, end="")
    else:
        out.write_text(text, "utf-8")
    return doc
