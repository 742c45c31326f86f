"""Fixtures for the trials domain tests."""

import pytest
from trials_builders import planned_trial, running_trial

from services.trials.domain import Trial


@pytest.fixture
def planned() -> Trial:
    return planned_trial()


@pytest.fixture
def running() -> Trial:
    return running_trial()
