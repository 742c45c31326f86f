"""What ranking derives from a Collection's forward lists, kept in step with it: the bridge
postings of single-language documents split by language, and each feature's largest weight
(the bound that lets a ranking skip documents that cannot reach the threshold; see pruning).

The bridge only counts for a pair that shares no language (unless MatchConfig.w_bridge_shared is
set), so an English wish needs the bridge postings of Chinese-only documents alone, and a
bilingual one none. Nothing here is saved in snapshots: it is rebuilt from the forward lists.
"""

from __future__ import annotations

import sys
from array import array

import numpy as np

from services.matcher.domain.profile import EN, ZH

SPLIT = (EN, ZH)  # document languages with their own bridge postings
_ONE_BY_ONE = 8  # fewer new slots than this are folded in without numpy


def _stable_order(feat: np.ndarray) -> np.ndarray:
    """The stable sorting order of int32 feature ids, in two 16-bit passes (numpy sorts 16-bit
    keys by radix, several times faster than 32-bit ones)."""
    low = np.argsort((feat & 0xFFFF).astype(np.uint16), kind="stable")
    high = np.argsort((feat[low] >> 16).astype(np.uint16), kind="stable")
    return low[high]


class Derived:
    """Split bridge postings and per-feature maxima of one Collection, for slots < n_slots.

    A largest weight is not lowered when its document goes: it stays a bound, only looser,
    until the collection is compacted (which resets this).
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything (after slots were renumbered)."""
        self.n_slots = 0
        self.max_w = array("f")  # feature → largest unit weight in its postings
        self.is_bridge = bytearray()  # feature → 1 if it is in the bridge space
        # language → feature → (slots ascending, unit weights), and the largest weight there
        self.split: dict[int, dict[int, tuple[array, array]]] = {g: {} for g in SPLIT}
        self.split_max = {g: array("f") for g in SPLIT}

    def sync(self, c) -> None:
        """Fold in the slots added to `c` since the last call (all of them after a reset)."""
        n = len(c.ids)
        if n < self.n_slots:  # compacted behind our back
            self.reset()
        self._grow(c.keys)
        if n == self.n_slots:
            return
        if n - self.n_slots < _ONE_BY_ONE:
            for slot in range(self.n_slots, n):
                self._add_slot(c, slot)
        else:
            self._add_slots(c, n)
        self.n_slots = n

    def _grow(self, keys: list[str]) -> None:
        new = keys[len(self.max_w) :]
        if not new:
            return
        zeros = bytes(4 * len(new))
        self.max_w.frombytes(zeros)
        self.is_bridge.extend(key.startswith("x:") for key in new)
        for g in SPLIT:
            self.split_max[g].frombytes(zeros)

    def _add_slot(self, c, slot: int) -> None:
        lang = c.langs[slot]
        table = self.split.get(lang)
        max_w, is_bridge = self.max_w, self.is_bridge
        for i in range(c.fwd_off[slot], c.fwd_off[slot + 1]):
            fid, w = c.fwd_feat[i], c.fwd_w[i]
            if w > max_w[fid]:
                max_w[fid] = w
            if table is not None and is_bridge[fid]:
                entry = table.get(fid)
                if entry is None:
                    entry = table[fid] = (array("i"), array("f"))
                entry[0].append(slot)
                entry[1].append(w)
                if w > self.split_max[lang][fid]:
                    self.split_max[lang][fid] = w

    def _add_slots(self, c, n: int) -> None:
        off = np.frombuffer(c.fwd_off, np.int64)[self.n_slots : n + 1].copy()
        feat = np.frombuffer(c.fwd_feat, np.int32)[off[0] : off[-1]].copy()
        w = np.frombuffer(c.fwd_w, np.float32)[off[0] : off[-1]].copy()
        slots = np.repeat(np.arange(self.n_slots, n, dtype=np.int32), np.diff(off))
        np.maximum.at(np.frombuffer(self.max_w, np.float32), feat, w)
        doc_langs = np.frombuffer(c.langs, np.uint8)[slots]
        bridge = np.frombuffer(self.is_bridge, np.uint8)[feat] == 1
        for g in SPLIT:
            sel = np.flatnonzero(bridge & (doc_langs == g))
            if len(sel):
                self._append(g, feat[sel], slots[sel], w[sel])

    def _append(self, g: int, feat: np.ndarray, slots: np.ndarray, w: np.ndarray) -> None:
        order = _stable_order(feat)  # each feature's slots stay ascending, as in the postings
        feat, slots, w = feat[order], slots[order], w[order]
        np.maximum.at(np.frombuffer(self.split_max[g], np.float32), feat, w)
        cuts = np.flatnonzero(np.diff(feat)) + 1
        starts = np.concatenate([[0], cuts]).tolist()
        ends = np.concatenate([cuts, [len(feat)]]).tolist()
        table = self.split[g]
        for a, b in zip(starts, ends):
            fid = int(feat[a])
            entry = table.get(fid)
            if entry is None:
                entry = table[fid] = (array("i"), array("f"))
            entry[0].frombytes(slots[a:b].tobytes())
            entry[1].frombytes(w[a:b].tobytes())

    def bridge_postings(self, g: int, fid: int) -> tuple[np.ndarray, np.ndarray, float] | None:
        """Slots, unit weights and largest weight of a bridge feature in the documents written
        in language `g` only; None if there are none."""
        entry = self.split[g].get(fid)
        if entry is None:
            return None
        ids = np.frombuffer(entry[0], np.int32)
        return ids, np.frombuffer(entry[1], np.float32), self.split_max[g][fid]

    def memory_bytes(self) -> int:
        """Bytes held (arrays and the per-feature tables)."""
        size = sys.getsizeof
        total = size(self.max_w) + size(self.is_bridge)
        for g in SPLIT:
            table = self.split[g]
            total += size(table) + size(self.split_max[g])
            total += sum(size(e) + size(e[0]) + size(e[1]) for e in table.values())
        return total
