"""Latency and memory of ranking one new wish against 10k–100k solutions; index vs brute force.

Run from the repository root: `.venv/bin/python -m bench.matcher_scale`
(options: --sizes 10000,30000,100000 --repeat 5 --brute 8).
Prints numbers and ratios measured in this run; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from pathlib import Path

from bench.matcher_scale.synth import Synth
from bench.matching.evaluate import load as load_labelled
from services.matcher.domain import Matcher


def rss_mb() -> float:
    """Resident memory of this process, MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def time_queries(fn, wishes, repeat: int) -> list[float]:
    """Milliseconds per call of fn(wish), every wish `repeat` times."""
    out = []
    for _ in range(repeat):
        for w in wishes:
            t0 = time.perf_counter()
            fn(w)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,30000,100000")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes over the 40 wishes")
    ap.add_argument("--brute", type=int, default=8, help="wishes scanned by brute force per size")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    wishes, _, _ = load_labelled()  # real bilingual wishes as the queries

    m = Matcher()
    synth = Synth(m.glossary)
    m.rank_wish(wishes[0])  # warm the analyser
    gc.collect()
    rss0 = rss_mb()
    print(f"queries: {len(wishes)} real wishes from bench/matching; {args.repeat} timed passes; "
          f"threshold {m.config.threshold}, top-{m.config.top_k}")
    print(f"{'docs':>7} {'p50 ms':>7} {'p99 ms':>7} {'brute p50':>10} {'speed-up':>8} "
          f"{'top-10 agree':>12} {'bytes/doc':>9} {'RSS MB/100k':>11} {'add ms/doc':>10}")
    rows = []
    n = 0
    for size in sizes:
        t0 = time.perf_counter()
        while n < size:
            m.add_solution(synth.solution(n))
            n += 1
        add_ms = (time.perf_counter() - t0) * 1000 / max(1, size - (rows[-1][0] if rows else 0))
        gc.collect()
        lat = time_queries(m.rank_wish, wishes, args.repeat)
        probe = wishes[: args.brute]
        brute = time_queries(m.brute_force_rank_wish, probe, 1)
        agree = sum([x.solution_id for x in m.rank_wish(w)]
                    == [x.solution_id for x in m.brute_force_rank_wish(w)] for w in probe)
        mem = m.solutions.memory_bytes() / size
        rss = (rss_mb() - rss0) / size * 100000
        p50, p99, b50 = pct(lat, 50), pct(lat, 99), pct(brute, 50)
        rows.append((size, p50, p99, b50))
        print(f"{size:>7} {p50:>7.2f} {p99:>7.2f} {b50:>10.1f} {b50 / p50:>7.0f}x "
              f"{agree:>6}/{len(probe):<5} {mem:>9.0f} {rss:>11.0f} {add_ms:>10.2f}")

    (s0, i0, _, b0), (s1, i1, _, b1) = rows[0], rows[-1]
    print(f"growth {s0}→{s1} docs (x{s1 / s0:.0f}): index p50 x{i1 / i0:.2f}, "
          f"brute force p50 x{b1 / b0:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "matcher.snapshot"
        t0 = time.perf_counter()
        m.save(path, meta={"stream_seq": n})
        save_s = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        warm = Matcher.load(path, analyzer=m.analyzer)
        warm_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        cold = Matcher.load(path)  # a new analyser too (jieba dictionary), as after a restart
        cold_s = time.perf_counter() - t0
        same = all(
            [x.solution_id for x in cold.rank_wish(w)] == [x.solution_id for x in m.rank_wish(w)]
            for w in wishes
        )
        del warm
    print(f"snapshot of {n} solutions: {size_mb:.1f} MB, save {save_s:.2f} s, load {warm_s:.2f} s "
          f"(with a fresh analyser {cold_s:.2f} s); same rankings after load: {same}")


if __name__ == "__main__":
    main()
