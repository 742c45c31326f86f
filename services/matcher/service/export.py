"""EMSD's decisions on matches, with the records they were made on, as one JSON document that
`python -m bench.matching --decisions FILE` measures the matcher on (`innoportal decisions
export`: services/matcher/export.py).

The format, "innoportal-decisions/1" (UTF-8 JSON, one object):

    {"format": "innoportal-decisions/1",
     "exported_at": "2026-12-02T03:04:05+00:00",
     "sources": {"matcher": URL, "wishes": URL, "solutions": URL},
     "decisions": [{"match_id", "wish_id", "solution_id",
                    "score",            # the score published with the match (0..1)
                    "decision",         # "accepted" or "rejected"
                    "reason",           # as EMSD wrote it (free text, or null)
                    "reason_kind",      # services/matcher/domain/decisions.py: duplicate,
                                        # compliance, not_ready, cost, not_relevant,
                                        # other; "none" if accepted
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

from datetime import UTC, datetime

from services.matcher.adapters.public_apis import PublicApis
from services.matcher.domain.decisions import decision_reason

FORMAT = "innoportal-decisions/1"
TEXT = ("title_en", "title_zh", "description_en", "description_zh", "categories")


def _record(item: dict, *extra: str) -> dict:
    return {key: item.get(key) for key in ("id", *TEXT, *extra)}


async def _decisions(apis: PublicApis) -> list[dict]:
    """Every decided match, oldest decision first."""
    decisions = []
    for status in ("accepted", "rejected"):
        for m in await apis.matches(status):
            decisions.append({
                "match_id": m["id"], "wish_id": m["wish_id"], "solution_id": m["solution_id"],
                "score": m["score"], "decision": m["status"], "reason": m["decision_reason"],
                "reason_kind": decision_reason(m["status"], m["decision_reason"]),
                "decided_at": m["decided_at"], "created_at": m["created_at"]})
    decisions.sort(key=lambda d: (d["decided_at"] or "", d["match_id"]))
    return decisions


async def _wishes(apis: PublicApis, decisions: list[dict]) -> dict[str, dict]:
    """Every decided wish, by id."""
    found = {}
    for wish_id in dict.fromkeys(d["wish_id"] for d in decisions):
        wish = await apis.wish(wish_id)
        if wish is not None:  # a wish the wishes service no longer has: its decisions go
            found[wish_id] = _record(wish, "status")
    return found


async def _solutions(apis: PublicApis, decisions: list[dict]) -> dict[str, dict]:
    """Every listed solution, and every decided one, by id."""
    listed = {s["id"]: _record(s, "trl") for s in await apis.solutions()}
    for solution_id in dict.fromkeys(d["solution_id"] for d in decisions):
        if solution_id not in listed:  # listed no more, yet decided on: kept with its decisions
            solution = await apis.solution(solution_id)
            if solution is not None:
                listed[solution_id] = _record(solution, "trl")
    return listed


async def export_decisions(apis: PublicApis, *, now: datetime | None = None) -> dict:
    """The export document, read from the three services' public APIs."""
    decisions = await _decisions(apis)
    wish_records = await _wishes(apis, decisions)
    listed = await _solutions(apis, decisions)
    return {
        "format": FORMAT,
        "exported_at": (now or datetime.now(UTC)).isoformat(),
        "sources": apis.sources(),
        "decisions": [d for d in decisions
                      if d["wish_id"] in wish_records and d["solution_id"] in listed],
        "wishes": list(wish_records.values()),
        "solutions": list(listed.values()),
    }
