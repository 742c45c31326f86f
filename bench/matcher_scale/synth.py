"""Synthetic bilingual solutions: glossary terms and a Zipf long tail of made-up words."""

from __future__ import annotations

import random

from contracts.categories import CATEGORY_IDS
from services.matcher.domain.glossary import Glossary

_SYLLABLES = ("ka ro mi ten sul var dex lo pri na qua zen tor bel fi mo rex dan "
              "lu kor vin sa pel tro gan hu mec ost ris tal ve").split()
_HANZI = ("智能系統監測數據平台設備安全節能管理自動分析控制環境服務網絡技術城市建築"
          "維修預測感應實時無線識別模型光學電力水務交通清潔材料檢測通訊雲端醫療運輸")
_EN_GLUE = ("the system uses a new method to improve and reduce cost for operators with "
            "high accuracy in real world trials across sites").split()
_ZH_GLUE = ["系統", "採用", "新方法", "提升", "效率", "降低", "成本", "準確", "已於", "試用"]


class Synth:
    """Deterministic generator of solution-like records (seeded)."""

    def __init__(self, glossary: Glossary, seed: int = 7, tail_en: int = 20000,
                 tail_zh: int = 8000) -> None:
        self.rng = random.Random(seed)
        self.concepts = list(glossary.concepts.values())
        self.en_terms = {c.id: [] for c in self.concepts}
        self.zh_terms = {c.id: [] for c in self.concepts}
        for key, cids in glossary._en.items():
            for cid in cids:
                self.en_terms[cid].append(" ".join(key))
        for key, cids in glossary._zh.items():
            for cid in cids:
                self.zh_terms[cid].append(key)
        rng = self.rng
        self.tail_en = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                               for _ in range(tail_en)})
        self.tail_zh = sorted({rng.choice(_HANZI) + rng.choice(_HANZI) for _ in range(tail_zh)})
        # Which concepts and words are common is left to chance, not to alphabetical order.
        for seq in (self.concepts, self.tail_en, self.tail_zh):
            rng.shuffle(seq)
        self.categories = sorted(CATEGORY_IDS)

    def _zipf(self, seq):
        # Rank r drawn with probability ~ 1/r: a few words are common, most are rare.
        n = len(seq)
        r = int(n ** self.rng.random())
        return seq[max(0, min(n - 1, r - 1))]

    def _concepts(self, k: int):
        return [self._zipf(self.concepts) for _ in range(k)]

    def _en(self, concepts, words: int) -> str:
        out = []
        for c in concepts:
            terms = self.en_terms[c.id] or [c.label_en]
            out.append(self.rng.choice(terms))
        out += [self._zipf(self.tail_en) for _ in range(words)]
        out += self.rng.sample(_EN_GLUE, 4)
        self.rng.shuffle(out)
        return " ".join(out)

    def _zh(self, concepts, words: int) -> str:
        out = [self.rng.choice(self.zh_terms[c.id] or [c.label_zh]) for c in concepts]
        out += [self._zipf(self.tail_zh) for _ in range(words)]
        out += self.rng.sample(_ZH_GLUE, 3)
        self.rng.shuffle(out)
        return "，".join("".join(out[i : i + 4]) for i in range(0, len(out), 4)) + "。"

    def solution(self, i: int) -> dict:
        """One solution: English only, Chinese only or both (40/30/30)."""
        rng = self.rng
        concepts = self._concepts(rng.randint(2, 5))
        mode = rng.random()
        rec = {"id": f"syn-{i:07d}", "categories": rng.sample(self.categories, rng.randint(1, 3)),
               "trl": rng.randint(1, 9)}
        if mode < 0.7:
            rec["title_en"] = self._en(concepts[:2], 2)
            rec["description_en"] = self._en(concepts, rng.randint(15, 40))
        if mode >= 0.4:
            rec["title_zh"] = self._zh(concepts[:2], 1)
            rec["description_zh"] = self._zh(concepts, rng.randint(10, 30))
        return rec
