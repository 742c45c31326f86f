"""Latency of the duplicate check (POST /v1/similar) and the market survey (GET /v1/survey) at
10,000 solutions, beside a brute-force scan with the same scorer measured in the same run.

Two layers are timed: the ranking alone (services.matcher.domain.survey), and the endpoint end
to end in-process (HTTP through ASGI, the matcher's SQLite tables for titles and trials). The
drafts are the 251 real bilingual records of bench/matching, as a person would type them.

Run from the repository root: `.venv/bin/python -m bench.similar`
(options: --size 10000 --repeat 3 --brute 20). Prints numbers and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.matcher_scale.run import pct
from bench.matcher_scale.synth import Synth
from bench.matching.evaluate import load as load_labelled
from innoportal.db import Database
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from services.matcher.bootstrap import bootstrap, create_app
from services.matcher.domain import Matcher
from services.matcher.domain.survey import ranked, similar, text_query
from services.matcher.repository.records import upsert_record
from services.matcher.settings import MatcherSettings

TEXTS = ("title_en", "title_zh", "description_en", "description_zh")
T0 = datetime(2026, 3, 2, tzinfo=UTC)


def drafts() -> list[dict]:
    """Real bilingual wishes and solutions as drafts of a solution: their texts and categories."""
    wishes, solutions, _ = load_labelled()
    return [{"kind": "solution", "categories": r["categories"],
             **{f: r[f] for f in TEXTS if r.get(f)}} for r in solutions + wishes]


def timed(fn, items, repeat: int) -> list[float]:
    """Milliseconds per call of fn(item), every item `repeat` times."""
    out = []
    for _ in range(repeat):
        for item in items:
            t0 = time.perf_counter()
            fn(item)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def row(name: str, ms: list[float], base: list[float] | None = None) -> str:
    """p50 and p95, and their ratio to a baseline's."""
    p50, p95 = pct(ms, 50), pct(ms, 95)
    ratio = f"  baseline/this p50 x{pct(base, 50) / p50:.0f}, p95 x{pct(base, 95) / p95:.0f}" \
        if base else ""
    return f"{name:<44} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms{ratio}"


def domain(records: list[dict], items: list[dict], repeat: int, brute: int) -> list[float]:
    """The ranking alone: indexed vs brute force; the survey of free text. The baseline's
    timings."""
    m = Matcher()
    for rec in records:
        m.add_solution(rec)
    floor = MatcherSettings().similar_floor
    similar(m, items[0], "solution", floor=floor, limit=5)  # warm the analyser
    fast = timed(lambda d: similar(m, d, "solution", floor=floor, limit=5), items, repeat)
    slow = timed(lambda d: similar(m, d, "solution", floor=floor, limit=5, brute=True),
                 items[:brute], 1)
    agree = sum([r.id for r in similar(m, d, "solution", floor=floor, limit=5)]
                == [r.id for r in similar(m, d, "solution", floor=floor, limit=5, brute=True)]
                for d in items[:brute])
    print(row("brute-force scan, same scorer (baseline)", slow))
    print(row("similar: ranking only (indexed)", fast, slow) + f"  same top 5: {agree}/{brute}")
    survey_floor = MatcherSettings().survey_floor
    queries = [text_query(d.get("title_en") or d.get("title_zh")) for d in items]
    survey = timed(lambda q: ranked(m, q, m.solutions, floor=survey_floor, limit=20),
                   queries, repeat)
    print(row("survey of a title: ranking only", survey, slow))
    return slow


async def endpoint(records: list[dict], items: list[dict], repeat: int, data: Path,
                   base: list[float]) -> None:
    """The endpoints end to end: stored records, the index loaded from them, HTTP in-process."""
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=data)
    runtime = bootstrap(MatcherSettings(), common=common,
                        db=Database(f"sqlite+aiosqlite:///{data / 'matcher.db'}"))
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        async with runtime.db.transaction() as s:
            for rec in records:
                payload = {**rec, "contact_email": "x@example.hk", "owner_org": "Lab",
                           "created_at": T0.isoformat()}
                await upsert_record(s, "solution", rec["id"], json.dumps(payload), "open")
        await runtime.state.load()  # as at a start: the index from the matcher's tables

        async def call(method, path, **kwargs) -> float:
            t0 = time.perf_counter()
            answer = await client.request(method, path, **kwargs)
            assert answer.status_code == 200, answer.text
            return (time.perf_counter() - t0) * 1000

        sim = [await call("POST", "/v1/similar", json=d) for _ in range(repeat) for d in items]
        print(row("POST /v1/similar (HTTP, SQLite, in-process)", sim, base))
        titles = [d.get("title_en") or d.get("title_zh") for d in items]
        sur = [await call("GET", "/v1/survey", params={"q": t}) for _ in range(repeat)
               for t in titles]
        print(row("GET /v1/survey?q= (HTTP, SQLite, in-process)", sur, base))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=10_000, help="solutions indexed")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes over the drafts")
    ap.add_argument("--brute", type=int, default=20, help="drafts scanned by brute force")
    args = ap.parse_args(argv)
    items = drafts()
    synth = Synth(Matcher().glossary)
    records = [synth.solution(i) for i in range(args.size)]
    print(f"{args.size} synthetic solutions; {len(items)} real drafts, {args.repeat} passes; "
          f"target: POST /v1/similar p95 under 50 ms")
    base = domain(records, items, args.repeat, args.brute)
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(endpoint(records, items, args.repeat, Path(tmp), base))


if __name__ == "__main__":
    main()
