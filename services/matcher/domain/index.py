"""An in-memory inverted index of one kind of record (wishes or solutions), snapshot-able."""

from __future__ import annotations

import sys
from array import array

import numpy as np

from services.matcher.domain.postings import Derived
from services.matcher.domain.profile import Profile

_MAX_CATEGORY_BITS = 64


class Collection:
    """Postings per feature (doc slot, unit weight); a forward list per doc for reasons and removal.

    Documents live in slots that are never reused until `compact()`; a removed or closed
    document is only marked inactive, so adding and removing are O(features of the document).
    Each posting list is in ascending slot order (new slots come last; compaction keeps the
    order), which ranking relies on to look slots up by binary search.
    """

    def __init__(self, dim: int = 0) -> None:
        self.dim = dim  # embedding width, 0 without an embedding model
        self.vocab: dict[str, int] = {}
        self.keys: list[str] = []
        self.post_ids: list[array] = []
        self.post_w: list[array] = []
        self.df = array("i")
        self.slot_of: dict[str, int] = {}
        self.ids: list[str] = []
        self.active = bytearray()
        self.langs = bytearray()
        self.catmask = array("Q")
        self.ncat = bytearray()
        self.level = bytearray()  # readiness level per slot (0: none), for the survey's filter
        self.fwd_off = array("q", [0])
        self.fwd_feat = array("i")
        self.fwd_w = array("f")
        self.fwd_lang = bytearray()
        self.cat_bit: dict[str, int] = {}
        self.cat_df: dict[str, int] = {}
        self.emb = array("f")
        self.has_emb = bytearray()
        self.n_active = 0
        self.derived = Derived()  # split bridge postings and bounds, rebuilt when needed

    # -- mutation -------------------------------------------------------------------------
    def add(self, profile: Profile, embedding=None) -> int:
        """Index a profile (replacing a document of the same id); returns its slot."""
        self.remove(profile.id)
        slot = len(self.ids)
        self.ids.append(profile.id)
        self.slot_of[profile.id] = slot
        self.active.append(1)
        self.langs.append(profile.langs)
        mask = 0
        for cat in profile.categories:
            bit = self._cat_bit(cat)
            if bit is not None:
                mask |= 1 << bit
            self.cat_df[cat] = self.cat_df.get(cat, 0) + 1
        self.catmask.append(mask)
        self.ncat.append(min(255, len(profile.categories)))
        self.level.append(profile.level)
        for key, w in profile.vector().items():
            fid = self._feature(key)
            self.post_ids[fid].append(slot)
            self.post_w[fid].append(w)
            self.df[fid] += 1
            self.fwd_feat.append(fid)
            self.fwd_w.append(w)
            self.fwd_lang.append(profile.concept_langs.get(key[2:], 0) if key[0] == "c" else 0)
        self.fwd_off.append(len(self.fwd_feat))
        if self.dim:
            vec = embedding if embedding is not None else np.zeros(self.dim, np.float32)
            self.emb.frombytes(np.asarray(vec, dtype=np.float32).tobytes())
            self.has_emb.append(embedding is not None)
        self.n_active += 1
        self.derived.sync(self)
        return slot

    def remove(self, doc_id: str) -> bool:
        """Deactivate a document; False if it is not indexed."""
        slot = self.slot_of.pop(doc_id, None)
        if slot is None:
            return False
        self.active[slot] = 0
        for fid in self.fwd_feat[self.fwd_off[slot] : self.fwd_off[slot + 1]]:
            self.df[fid] -= 1
        for cat, bit in self.cat_bit.items():
            if self.catmask[slot] >> bit & 1:
                self.cat_df[cat] -= 1
        self.n_active -= 1
        if len(self.ids) > 1000 and self.n_active < 0.7 * len(self.ids):
            self.compact()
        return True

    def _feature(self, key: str) -> int:
        fid = self.vocab.get(key)
        if fid is None:
            fid = self.vocab[key] = len(self.keys)
            self.keys.append(key)
            self.post_ids.append(array("i"))
            self.post_w.append(array("f"))
            self.df.append(0)
        return fid

    def _cat_bit(self, cat: str) -> int | None:
        bit = self.cat_bit.get(cat)
        if bit is None and len(self.cat_bit) < _MAX_CATEGORY_BITS:
            bit = self.cat_bit[cat] = len(self.cat_bit)
        return bit

    def compact(self) -> None:
        """Drop inactive slots from every array, renumbering the rest."""
        keep = [s for s in range(len(self.ids)) if self.active[s]]
        self.derived.reset()  # slots are renumbered
        remap = np.full(len(self.ids) + 1, -1, dtype=np.int32)
        remap[keep] = np.arange(len(keep), dtype=np.int32)
        for fid in range(len(self.keys)):
            ids = np.frombuffer(self.post_ids[fid], dtype=np.int32)
            new = remap[ids]
            ok = new >= 0
            self.post_ids[fid] = array("i", new[ok].tobytes())
            self.post_w[fid] = array("f", np.frombuffer(self.post_w[fid], np.float32)[ok].tobytes())
        off = np.frombuffer(self.fwd_off, dtype=np.int64)
        ranges = [np.arange(off[s], off[s + 1]) for s in keep]
        sel = np.concatenate(ranges) if ranges else np.array([], dtype=np.int64)
        lengths = np.array([off[s + 1] - off[s] for s in keep], dtype=np.int64)
        self.fwd_feat = array("i", np.frombuffer(self.fwd_feat, np.int32)[sel].tobytes())
        self.fwd_w = array("f", np.frombuffer(self.fwd_w, np.float32)[sel].tobytes())
        self.fwd_lang = bytearray(np.frombuffer(bytes(self.fwd_lang), np.uint8)[sel].tobytes())
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self.fwd_off = array("q", offsets.tobytes())
        self.ids = [self.ids[s] for s in keep]
        self.slot_of = {d: i for i, d in enumerate(self.ids)}
        self.active = bytearray(b"\x01") * len(keep)
        self.langs = bytearray(self.langs[s] for s in keep)
        self.catmask = array("Q", (self.catmask[s] for s in keep))
        self.ncat = bytearray(self.ncat[s] for s in keep)
        self.level = bytearray(self.level[s] for s in keep)
        if self.dim:
            emb = np.frombuffer(self.emb, np.float32).reshape(-1, self.dim)[keep]
            self.emb = array("f", emb.tobytes())
            self.has_emb = bytearray(self.has_emb[s] for s in keep)
        self.derived.sync(self)

    def memory_bytes(self) -> int:
        """Bytes held by the index structures (arrays, per-feature lists, ids, vocabulary)."""
        size = sys.getsizeof
        total = sum(size(a) for a in self.post_ids) + sum(size(a) for a in self.post_w)
        total += size(self.post_ids) + size(self.post_w) + size(self.keys) + size(self.vocab)
        total += sum(size(k) for k in self.keys)
        total += size(self.ids) + size(self.slot_of) + sum(size(d) for d in self.ids)
        for arr in (self.df, self.active, self.langs, self.catmask, self.ncat, self.level,
                    self.fwd_off, self.fwd_feat, self.fwd_w, self.fwd_lang, self.emb, self.has_emb):
            total += size(arr)
        return total + self.derived.memory_bytes()

    # -- reading --------------------------------------------------------------------------
    def df_of(self, key: str) -> int:
        """Active documents that have the feature."""
        fid = self.vocab.get(key)
        return self.df[fid] if fid is not None else 0

    def cat_df_of(self, cat: str) -> int:
        """Active documents in the category."""
        return self.cat_df.get(cat, 0)

    def features_of(self, slot: int) -> list[tuple[str, float, int]]:
        """The forward list of a slot: (feature key, unit weight, concept language bits)."""
        lo, hi = self.fwd_off[slot], self.fwd_off[slot + 1]
        return [
            (self.keys[self.fwd_feat[i]], self.fwd_w[i], self.fwd_lang[i]) for i in range(lo, hi)
        ]

    def categories_of(self, slot: int) -> list[str]:
        """Category ids of a slot."""
        mask = self.catmask[slot]
        return [c for c, b in self.cat_bit.items() if mask >> b & 1]

    def embedding_of(self, slot: int):
        """The slot's embedding, or None."""
        if not self.dim or not self.has_emb[slot]:
            return None
        # A copy: a live view would stop the array from growing (BufferError on append).
        return np.frombuffer(self.emb, np.float32, self.dim, slot * self.dim * 4).copy()
