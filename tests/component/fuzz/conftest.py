"""Fixtures of the fuzz tests: each module's service running and seeded, a role per test, and
Hypothesis' files in a temporary directory."""

from collections.abc import Iterator

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from .fuzzing import ROLES, World
from .targets import world_of


@pytest.fixture(scope="session", autouse=True)
def _hypothesis_home(tmp_path_factory) -> None:
    # Hypothesis keeps its caches (and, unless told otherwise, examples) under .hypothesis in
    # the working directory: in a temporary one instead, never in the repository.
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))


@pytest.fixture(params=ROLES)
def role(request) -> str:
    """department, provider, emsd, or none (no token at all)."""
    return request.param


@pytest.fixture(scope="module")
def world(request, tmp_path_factory) -> Iterator[World]:
    """The service the test module names in SERVICE, running and seeded, for the whole module."""
    name = request.module.SERVICE
    with world_of(name, tmp_path_factory.mktemp(name)) as running_world:
        yield running_world
