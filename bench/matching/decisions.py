"""The matcher measured on EMSD's own decisions: `python -m bench.matching --decisions FILE`.

FILE is what `innoportal decisions export --out FILE` writes (format "innoportal-decisions/1",
described in services/matcher/service/export.py): the decided matches (accepted, or rejected
with a free-text reason and its kind), every decided wish and the whole solution catalogue, from
the public APIs (no personal data).

Decisions become graded judgements like the labelled set's (bench/matching/data/qrels.tsv):
- accepted: grade 3 (relevant);
- rejected as not_relevant (the matcher was wrong): grade 0 (a judged distractor);
- rejected for any other kind (duplicate, compliance, not_ready, cost, other): grade 1, neither
  relevant nor irrelevant: the pair matched the need and was turned down for another reason.
`load_export` returns them in the shape of evaluate.load(), so any tuning written for the
labelled set runs on decisions too.

EMSD only decides pairs the matcher published, so a solution nobody decided on is unjudged, and
the usual measures count it irrelevant. The report therefore also gives measures on judged pairs
only: the ranking of each wish's decided solutions among themselves, and how often an accepted
solution outscores a rejected-as-not-relevant one of the same wish. Printed beside BM25 on the
same tokens, as the labelled benchmark does.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bench.matching.bm25 import BM25
from bench.matching.evaluate import bm25_tokens
from bench.matching.metrics import summarize
from services.matcher.domain.decisions import REJECT_REASONS
from services.matcher.domain import MatchConfig, Matcher
from services.matcher.service.export import FORMAT

GRADES = {"accepted": 3, "not_relevant": 0}  # any other rejection: 1
SPLIT = "decisions"


def grade(decision: dict) -> int:
    """The graded judgement a decision stands for."""
    if decision["decision"] == "accepted":
        return GRADES["accepted"]
    return GRADES.get(decision.get("reason_kind") or "other", 1)


def load_export(path: Path) -> tuple[list[dict], list[dict], dict[str, dict[str, int]], list]:
    """(wishes, solutions, qrels, decisions) of an export, like evaluate.load() plus decisions.

    A pair decided twice (it cannot be, but exports may be merged) keeps its latest decision.
    """
    doc = json.loads(Path(path).read_text("utf-8"))
    if doc.get("format") != FORMAT:
        raise SystemExit(f"{path}: not an {FORMAT} export (innoportal decisions export)")
    qrels: dict[str, dict[str, int]] = {}
    for d in doc["decisions"]:
        qrels.setdefault(d["wish_id"], {})[d["solution_id"]] = grade(d)
    wishes = [{**w, "split": SPLIT} for w in doc["wishes"]]
    return wishes, doc["solutions"], qrels, doc["decisions"]


def _scores(m: Matcher, wish: dict, n: int) -> dict[str, float]:
    return {x.solution_id: x.score for x in m.rank_wish(wish, threshold=0.0, top_k=n)}


def evaluate_export(path: Path, config: MatchConfig | None = None,
                    matcher: Matcher | None = None) -> dict:
    """Every measure of the report, as numbers (the report prints them)."""
    config = config or MatchConfig()
    wishes, solutions, qrels, decisions = load_export(path)
    m = matcher or Matcher(config)
    m.config = config
    for s in solutions:
        m.add_solution(s)
    for w in wishes:
        if w.get("status") != "closed":
            m.add_wish(w)
    n = max(len(solutions), 1)
    scores = {w["id"]: _scores(m, w, n) for w in wishes}
    runs = {w: sorted(s, key=lambda k: -s[k])[:20] for w, s in scores.items()}
    bm_docs = {s["id"]: bm25_tokens(m, s) for s in solutions}
    bm = BM25(bm_docs)
    # BM25 ranks without scores: its order as a score (unranked solutions: 0, all tied).
    bm_scores = {w["id"]: {d: float(n - i) for i, d in enumerate(bm.rank(bm25_tokens(m, w)))}
                 for w in wishes}
    bm_runs = {w: sorted(s, key=lambda k: -s[k])[:20] for w, s in bm_scores.items()}

    def judged_only(all_scores: dict[str, dict[str, float]]) -> dict[str, list[str]]:
        return {w: sorted(qrels.get(w, {}), key=lambda k: -all_scores[w].get(k, 0.0))
                for w in all_scores}

    def pairwise(all_scores: dict[str, dict[str, float]]) -> tuple[int, int]:
        """(pairs where an accepted solution outscores a not-relevant one of its wish, pairs)."""
        won = total = 0
        for w, grades in qrels.items():
            s = all_scores.get(w, {})
            for a in (k for k, g in grades.items() if g == 3):
                for r in (k for k, g in grades.items() if g == 0):
                    total += 1
                    won += s.get(a, 0.0) > s.get(r, 0.0)
        return won, total

    published = {w["id"]: {x.solution_id for x in m.rank_wish(w)} for w in wishes}
    tp = sum(g == 3 and s in published[w] for w, gs in qrels.items() for s, g in gs.items())
    fp = sum(g == 0 and s in published[w] for w, gs in qrels.items() for s, g in gs.items())
    accepted = sum(g == 3 for gs in qrels.values() for g in gs.values())
    kinds = Counter(d["reason_kind"] for d in decisions if d["decision"] == "rejected")
    return {
        "decisions": len(decisions), "wishes": len(wishes), "solutions": len(solutions),
        "accepted": accepted, "rejected": dict((k, kinds.get(k, 0)) for k in REJECT_REASONS),
        "matcher": summarize(runs, qrels), "bm25": summarize(bm_runs, qrels),
        "matcher_judged": summarize(judged_only(scores), qrels),
        "bm25_judged": summarize(judged_only(bm_scores), qrels),
        "matcher_pairwise": pairwise(scores), "bm25_pairwise": pairwise(bm_scores),
        "published": {"threshold": config.threshold, "accepted": tp, "not_relevant": fp,
                      "precision": tp / max(tp + fp, 1), "recall": tp / max(accepted, 1)},
        "thresholds": threshold_sweep(scores, qrels),
        "by_published_score": acceptance_by_score(decisions),
    }


def threshold_sweep(scores, qrels) -> list[tuple[float, float, float, float]]:
    """(threshold, precision, recall, F1) on decided pairs, with the matcher's scores today."""
    rows = []
    for t in (round(0.2 + 0.025 * i, 3) for i in range(25)):
        tp = fp = pos = 0
        for w, grades in qrels.items():
            for s, g in grades.items():
                above = scores.get(w, {}).get(s, 0.0) >= t
                tp += g == 3 and above
                fp += g == 0 and above
                pos += g == 3
        p, r = tp / max(tp + fp, 1), tp / max(pos, 1)
        rows.append((t, p, r, 2 * p * r / max(p + r, 1e-9)))
    return rows


def acceptance_by_score(decisions: list[dict]) -> list[tuple[str, int, int]]:
    """(band of the score EMSD was shown, decided, accepted): is the published score calibrated?"""
    bands: dict[str, list[int]] = {}
    for d in decisions:
        low = min(int(d["score"] * 10), 9) / 10
        band = bands.setdefault(f"{low:.1f}-{low + 0.1:.1f}", [0, 0])
        band[0] += 1
        band[1] += d["decision"] == "accepted"
    return [(b, n, a) for b, (n, a) in sorted(bands.items())]


def _row(name: str, r: dict) -> str:
    return (f"{name:<34}nDCG@5 {r['ndcg@5']:.3f}  Recall@10 {r['recall@10']:.3f}  "
            f"MRR {r['mrr']:.3f}  ({r['n']} wishes with an accepted match)")


def report(path: Path, config: MatchConfig | None = None) -> dict:
    """Print the measures on an export; return them."""
    r = evaluate_export(path, config)
    rej = r["rejected"]
    print(f"decisions: {r['decisions']} ({r['accepted']} accepted; rejected: "
          + ", ".join(f"{k} {v}" for k, v in rej.items()) + f") on {r['wishes']} wishes; "
          f"{r['solutions']} solutions ranked")
    print("grades: accepted 3, rejected as not_relevant 0, rejected for another reason 1 "
          "(neither); an undecided pair counts as irrelevant\n")
    print(_row("matcher (all solutions)", r["matcher"]))
    print(_row("BM25, same tokens (all solutions)", r["bm25"]))
    print(_row("matcher (decided solutions only)", r["matcher_judged"]))
    print(_row("BM25 (decided solutions only)", r["bm25_judged"]))
    for name in ("matcher", "bm25"):
        won, total = r[f"{name}_pairwise"]
        share = f"{won / total:.0%}" if total else "n/a"
        print(f"{name}: an accepted solution outscores a rejected-as-not-relevant one of the same "
              f"wish in {won} of {total} pairs ({share})")
    p = r["published"]
    print(f"\npublished today at threshold {p['threshold']}: {p['accepted']} accepted and "
          f"{p['not_relevant']} not-relevant decided pairs; precision {p['precision']:.2f}, "
          f"recall of the accepted {p['recall']:.2f}")
    best = max(r["thresholds"], key=lambda row: (round(row[3], 6), row[0]))
    print(f"threshold with the best F1 on these decisions: {best[0]} (precision {best[1]:.2f}, "
          f"recall {best[2]:.2f}, F1 {best[3]:.2f})")
    print("accepted share by the score EMSD was shown: " + ", ".join(
        f"{band} {a}/{n}" for band, n, a in r["by_published_score"]))
    return r
