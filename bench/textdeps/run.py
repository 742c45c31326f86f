"""The Chinese text dependencies, old against new, on the labelled matching set and on speed.

- script folding (Traditional → Simplified, `hk2s`): `opencc` (the maintained C++ binding) against
  `opencc-python-reimplemented` (last release 2023);
- word segmentation: `rjieba` (jieba-rs) against `jieba` (last release 2020).

The project depends on the new pair only. The old pair is loaded from a directory of its own, so
both can be measured in one run (both old and new folding packages are called `opencc`):

    .venv/bin/pip install --target var/textdeps-old jieba==0.42.1 opencc-python-reimplemented==0.1.7
    .venv/bin/python -m bench.textdeps --old var/textdeps-old

Quality: every combination indexes the 263 labelled records and ranks every wish (shipped
weights), printing nDCG@5 / Recall@10 / MRR per split and the published pairs' precision and
recall, and how many texts analyse to the same tokens as under the old pair. Speed: the same
texts folded, segmented and indexed, each timed beside the old package in the same run, as a
ratio (old time / new time: above 1 means the new one is faster). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from statistics import median
from typing import Any, Callable

from bench.matching.evaluate import SPLITS, load
from bench.matching.metrics import summarize
from services.matcher.domain import MatchConfig, Matcher
from services.matcher.domain.analysis import Analyzer
from services.matcher.domain.glossary import default_glossary
from services.matcher.domain.segment import DOMAIN_WORD_FREQ, RJiebaSegmenter

FIELDS = ("title_en", "description_en", "title_zh", "description_zh")


class JiebaSegmenter:
    """The Python `jieba` the matcher used before, behind the same port as rjieba."""

    def __init__(self) -> None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.name = f"jieba-{getattr(jieba, '__version__', '?')}"

    def add_word(self, word: str) -> None:
        self._jieba.add_word(word, freq=DOMAIN_WORD_FREQ)

    def tokenize(self, text: str, *, search: bool = False) -> list[tuple[str, int, int]]:
        return list(self._jieba.tokenize(text, mode="search" if search else "default"))

    def knows(self, word: str) -> bool:
        return bool(self._jieba.FREQ.get(word))

    def cut(self, text: str) -> list[str]:
        return list(self._jieba.cut(text))


def new_converter():
    """The `opencc` package the project depends on (the C++ binding)."""
    import opencc

    return opencc.OpenCC("hk2s")


def old_converter(old_dir: Path):
    """opencc-python-reimplemented from `old_dir`, under a name of its own."""
    path = old_dir / "opencc" / "opencc.py"
    spec = importlib.util.spec_from_file_location("opencc_reimplemented", path)
    if spec is None or not path.exists():
        raise SystemExit(f"no opencc-python-reimplemented in {old_dir} (see --help)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.OpenCC("hk2s")


def use_converter(converter) -> None:
    """Make the kernel's folding (and so the matcher's) use `converter` from now on."""
    import innoportal.text as text

    text._converter = lambda: converter
    text.fold_chinese.cache_clear()
    default_glossary.cache_clear()  # it folds its Chinese terms when built


def _version(name: str, old_dir: Path | None = None) -> str:
    if old_dir is not None:
        for info in old_dir.glob(f"{name.replace('-', '_')}-*.dist-info"):
            return info.name.removesuffix(".dist-info").split("-")[1]
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def texts(wishes: list[dict], solutions: list[dict]) -> list[str]:
    """Every Chinese field of the labelled set."""
    return [r[f] for r in wishes + solutions for f in ("title_zh", "description_zh") if r.get(f)]


def cjk_runs(converter, texts_zh: list[str]) -> list[str]:
    """The folded Chinese runs of the texts: what the kernel's search cuts (innoportal/text.py)."""
    from innoportal.text import CJK_RANGES

    pattern = re.compile(f"[{CJK_RANGES}]+")
    return [run for t in texts_zh for run in pattern.findall(converter.convert(t))]


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def paired(old: Callable[[], Any], new: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Median times of old() and new(), in seconds, run in turns after one warm-up each (the
    machine's load then weighs on both alike)."""
    old(), new()
    times = [(timed(old), timed(new)) for _ in range(rounds)]
    return median(t for t, _ in times), median(t for _, t in times)


def quality(name: str, segmenter, wishes, solutions, qrels, config: MatchConfig) -> dict:
    """Index the set under the current folding and `segmenter`; rank every wish."""
    glossary = default_glossary()
    analyzer = Analyzer(glossary.zh_terms(), segmenter=segmenter)
    m = Matcher(config, glossary=glossary, analyzer=analyzer)
    for s in solutions:
        m.add_solution(s)
    for w in wishes:
        m.add_wish(w)
    runs = {w["id"]: [x.solution_id for x in m.rank_wish(w, threshold=0.0, top_k=20)]
            for w in wishes}
    published = {w["id"]: [x.solution_id for x in m.rank_wish(w)] for w in wishes}
    tokens = [tuple(sorted(t.key for t in analyzer.chinese(r.get(f))))
              for r in wishes + solutions for f in ("title_zh", "description_zh")]
    return {"name": name, "runs": runs, "published": published, "tokens": tokens}


def published_counts(published, wishes, qrels) -> tuple[int, int, int]:
    """(relevant published, irrelevant published, relevant pairs); grade 1 counts as neither."""
    tp = fp = pos = 0
    for w in wishes:
        grades = qrels.get(w["id"], {})
        found = published[w["id"]]
        tp += sum(grades.get(s, 0) >= 2 for s in found)
        fp += sum(grades.get(s, 0) == 0 for s in found)
        pos += sum(g >= 2 for g in grades.values())
    return tp, fp, pos


def report_quality(results: list[dict], wishes, qrels) -> None:
    split = {name: [w for w in wishes if w["split"] == name] for name in SPLITS}
    print(f"{'(nDCG@5 Recall@10 MRR per split)':<34}" + " | ".join(SPLITS)
          + " | published: precision recall (all splits)")
    base = results[0]
    for r in results:
        cells = []
        for name, ws in split.items():
            s = summarize({w["id"]: r["runs"][w["id"]] for w in ws}, qrels)
            cells.append(f"{name} {s['ndcg@5']:.3f} {s['recall@10']:.3f} {s['mrr']:.3f}")
        tp, fp, pos = published_counts(r["published"], wishes, qrels)
        print(f"{r['name']:<34}" + " | ".join(cells)
              + f" | {tp / max(tp + fp, 1):.3f} {tp / max(pos, 1):.3f}")
    n = len(base["tokens"])
    for r in results[1:]:
        same_tokens = sum(a == b for a, b in zip(base["tokens"], r["tokens"]))
        same_top10 = sum(base["runs"][w][:10] == r["runs"][w][:10] for w in base["runs"])
        print(f"  {r['name']}: same tokens (as a multiset) as {base['name']} in "
              f"{same_tokens}/{n} Chinese fields; same top-10 ranking for "
              f"{same_top10}/{len(base['runs'])} wishes")
        for a, b in [(a, b) for a, b in zip(base["tokens"], r["tokens"]) if a != b][:3]:
            print(f"    tokens only under the old: {sorted(set(a) - set(b))}, only under the "
                  f"new: {sorted(set(b) - set(a))}")


def report_speed(old_conv, new_conv, old_seg_cls, texts_zh: list[str], wishes, solutions,
                 rounds: int) -> None:
    print(f"\nspeed: median of {rounds} rounds (old and new in turns) over {len(texts_zh)} "
          f"Chinese fields ({sum(map(len, texts_zh))} characters); ratio = old time / new time")

    def row(what: str, times: tuple[float, float]) -> None:
        old, new = times
        print(f"  {what:<62} old {old * 1000:8.1f} ms  new {new * 1000:8.1f} ms"
              f"  ratio {old / new:6.2f}")

    # Folding, uncached (the kernel caches folded runs; this is the first sight of each text).
    row("fold every field (hk2s)", paired(lambda: [old_conv.convert(t) for t in texts_zh],
                                          lambda: [new_conv.convert(t) for t in texts_zh], rounds))
    folded = [new_conv.convert(t) for t in texts_zh]
    # Start-up: a segmenter with its dictionary loaded (jieba reads its cache file, warm).
    row("segmenter start-up (dictionary loaded)", paired(old_seg_cls, RJiebaSegmenter, 3))
    old_seg, new_seg = old_seg_cls(), RJiebaSegmenter()
    for word in default_glossary().zh_terms():
        old_seg.add_word(new_conv.convert(word))
        new_seg.add_word(new_conv.convert(word))
    row("segment every field, search mode (the matcher)",
        paired(lambda: [old_seg.tokenize(t, search=True) for t in folded],
               lambda: [new_seg.tokenize(t, search=True) for t in folded], rounds))
    row("segment every field, default mode (unknown runs)",
        paired(lambda: [old_seg.tokenize(t) for t in folded],
               lambda: [new_seg.tokenize(t) for t in folded], rounds))
    import rjieba

    rj, runs = rjieba.Jieba(), cjk_runs(new_conv, texts_zh)
    row("cut every Chinese run (the kernel's search)",
        paired(lambda: [old_seg.cut(t) for t in runs], lambda: [rj.cut(t) for t in runs], rounds))

    def timed_under(conv, seg_cls, work: Callable[[Any, Analyzer], None]) -> Callable[[], None]:
        """work(glossary, analyzer) under `conv`'s folding (uncached) and a `seg_cls` analyser."""
        use_converter(conv)
        glossary = default_glossary()
        analyzer = Analyzer(glossary.zh_terms(), segmenter=seg_cls())

        def run() -> None:
            import innoportal.text as text

            text._converter = lambda: conv
            text.fold_chinese.cache_clear()
            work(glossary, analyzer)
        return run

    def analyse(_glossary, analyzer: Analyzer) -> None:
        for r in wishes + solutions:
            analyzer.chinese(r.get("title_zh"))
            analyzer.chinese(r.get("description_zh"))

    def index(glossary, analyzer: Analyzer) -> None:
        m = Matcher(glossary=glossary, analyzer=analyzer)
        for s in solutions:
            m.add_solution(s)
        for w in wishes:
            m.add_wish(w)

    for what, work in (("the matcher's analyser on every Chinese field (fold, segment)",
                        analyse),
                       (f"index all {len(wishes) + len(solutions)} records (the whole "
                        "profile, both languages)", index)):
        row(what, paired(timed_under(old_conv, old_seg_cls, work),
                         timed_under(new_conv, RJiebaSegmenter, work), rounds))
    use_converter(new_conv)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True,
                    help="a directory holding jieba and opencc-python-reimplemented "
                         "(pip install --target DIR ...)")
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds (median shown)")
    args = ap.parse_args(argv)
    old_dir = args.old.resolve()
    sys.path.append(str(old_dir))  # last: the project's own `opencc` stays first
    wishes, solutions, qrels = load()
    texts_zh = texts(wishes, solutions)
    old_conv, new_conv = old_converter(old_dir), new_converter()
    print(f"old: jieba {_version('jieba', old_dir)}, opencc-python-reimplemented "
          f"{_version('opencc-python-reimplemented', old_dir)}; new: rjieba "
          f"{_version('rjieba')}, opencc {_version('opencc')}")
    diff = [(t, old_conv.convert(t), new_conv.convert(t)) for t in texts_zh]
    diff = [d for d in diff if d[1] != d[2]]
    print(f"folding: {len(texts_zh) - len(diff)}/{len(texts_zh)} Chinese fields fold to the "
          f"same text")
    for original, old, new in diff[:5]:
        changed = [(a, b) for a, b in zip(old, new) if a != b]
        print(f"  differs: {original[:30]}… old/new characters {changed[:6]}")

    import rjieba

    old_seg, new_seg = JiebaSegmenter(), rjieba.Jieba()
    runs = cjk_runs(new_conv, texts_zh)
    same_cut = sum(old_seg.cut(t) == new_seg.cut(t) for t in runs)
    print(f"the kernel's search (a query's Chinese runs cut into words, no domain words): "
          f"{same_cut}/{len(runs)} runs cut alike")

    config = MatchConfig()
    results = []
    for conv_name, conv in (("old fold", old_conv), ("new fold", new_conv)):
        use_converter(conv)
        for seg_name, seg_cls in (("old seg", JiebaSegmenter), ("new seg", RJiebaSegmenter)):
            results.append(quality(f"{conv_name} + {seg_name}", seg_cls(), wishes, solutions,
                                   qrels, config))
    print()
    report_quality(results, wishes, qrels)
    report_speed(old_conv, new_conv, JiebaSegmenter, texts_zh, wishes, solutions, args.rounds)
