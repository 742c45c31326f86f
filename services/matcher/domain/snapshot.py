"""Snapshot format: a JSON header, then the index's arrays as raw little-endian bytes."""

from __future__ import annotations

import json
import struct
import sys
from array import array
from dataclasses import asdict

import numpy as np

from services.matcher.domain.index import Collection
from services.matcher.domain.scoring import MatchConfig

MAGIC = b"INNOPORTAL-MATCHER\x00"
VERSION = 3  # 2: carries the fingerprint of the glossary and analysis; 3: readiness levels


class SnapshotError(ValueError):
    """The bytes are not a snapshot this version can read."""


def _collection_parts(c: Collection, blobs: list[bytes]) -> dict:
    if c.n_active < len(c.ids):
        c.compact()  # a snapshot holds active documents only
    lengths = array("q", (len(p) for p in c.post_ids))

    def put(data) -> int:
        blobs.append(bytes(data))
        return len(blobs) - 1

    return {
        "dim": c.dim,
        "keys": c.keys,
        "ids": c.ids,
        "cat_bit": c.cat_bit,
        "cat_df": c.cat_df,
        "n_active": c.n_active,
        "blobs": {
            "lengths": put(lengths),
            "post_ids": put(b"".join(p.tobytes() for p in c.post_ids)),
            "post_w": put(b"".join(p.tobytes() for p in c.post_w)),
            "df": put(c.df),
            "langs": put(c.langs),
            "catmask": put(c.catmask),
            "ncat": put(c.ncat),
            "level": put(c.level),
            "fwd_off": put(c.fwd_off),
            "fwd_feat": put(c.fwd_feat),
            "fwd_w": put(c.fwd_w),
            "fwd_lang": put(c.fwd_lang),
            "emb": put(c.emb),
            "has_emb": put(c.has_emb),
        },
    }


def dump(matcher, meta: dict) -> bytes:
    """Serialise a Matcher (compacting it first)."""
    if sys.byteorder != "little":  # pragma: no cover - every supported platform is
        raise SnapshotError("snapshots are written on little-endian machines only")
    blobs: list[bytes] = []
    header = {
        "version": VERSION,
        "features": matcher.feature_fingerprint(),
        "config": asdict(matcher.config),
        "closed": sorted(matcher.closed),
        "meta": meta,
        "wishes": _collection_parts(matcher.wishes, blobs),
        "solutions": _collection_parts(matcher.solutions, blobs),
        "blob_sizes": [len(b) for b in blobs],
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"".join([MAGIC, struct.pack("<Q", len(head)), head, *blobs])


def _restore(parts: dict, blob) -> Collection:
    c = Collection(parts["dim"])
    get = parts["blobs"]
    c.keys = parts["keys"]
    c.vocab = {k: i for i, k in enumerate(c.keys)}
    c.ids = parts["ids"]
    c.slot_of = {d: i for i, d in enumerate(c.ids)}
    c.cat_bit = parts["cat_bit"]
    c.cat_df = parts["cat_df"]
    c.n_active = parts["n_active"]
    c.active = bytearray(b"\x01") * len(c.ids)
    lengths = np.frombuffer(blob(get["lengths"]), np.int64)
    ends = np.cumsum(lengths) * 4
    ids_mv, w_mv = blob(get["post_ids"]), blob(get["post_w"])
    c.post_ids, c.post_w = [], []
    start = 0
    for end in ends.tolist():
        a, b = array("i"), array("f")
        a.frombytes(ids_mv[start:end])
        b.frombytes(w_mv[start:end])
        c.post_ids.append(a)
        c.post_w.append(b)
        start = end
    for name, code in (("df", "i"), ("catmask", "Q"), ("fwd_off", "q"), ("fwd_feat", "i"),
                       ("fwd_w", "f"), ("emb", "f")):
        arr = array(code)
        arr.frombytes(blob(get[name]))
        setattr(c, name, arr)
    for name in ("langs", "ncat", "level", "fwd_lang", "has_emb"):
        setattr(c, name, bytearray(blob(get[name])))
    return c


def load(cls, data: bytes, *, config=None, glossary=None, analyzer=None, embedder=None):
    """Rebuild a Matcher from `dump()` output."""
    view = memoryview(data)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise SnapshotError("not a matcher snapshot")
    (head_len,) = struct.unpack_from("<Q", view, len(MAGIC))
    start = len(MAGIC) + 8
    header = json.loads(bytes(view[start : start + head_len]).decode("utf-8"))
    if header.get("version") != VERSION:
        raise SnapshotError(f"snapshot version {header.get('version')} is not {VERSION}")
    offsets = np.concatenate([[0], np.cumsum(header["blob_sizes"])]).tolist()
    base = start + head_len
    if base + offsets[-1] != len(data):
        raise SnapshotError("snapshot is truncated")

    def blob(i: int):
        return view[base + offsets[i] : base + offsets[i + 1]]

    # Stored vectors do not depend on the weights, so a new config may replace the saved one.
    config = config or MatchConfig(**header["config"])
    matcher = cls(config, glossary=glossary, analyzer=analyzer, embedder=embedder)
    if header.get("features") != matcher.feature_fingerprint():
        # Stored features would not be those of new records: rebuild instead.
        raise SnapshotError("snapshot was written with another glossary or text analysis")
    matcher.wishes = _restore(header["wishes"], blob)
    matcher.solutions = _restore(header["solutions"], blob)
    if matcher.wishes.dim != (matcher.embedder.dim if matcher.embedder else 0):
        raise SnapshotError("snapshot was written with a different embedding model setting")
    matcher.closed = set(header["closed"])
    matcher.meta = header["meta"] or {}
    return matcher
