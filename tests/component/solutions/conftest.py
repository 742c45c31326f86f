"""The solutions service in-process, on SQLite (fast) or on each backend (solutions_db)."""

import pytest

from services.solutions.bootstrap import bootstrap, create_app
from services.solutions.settings import SolutionsSettings

from ..conftest import sqlite_url

SOLUTION = {
    "title_en": "AI lift monitoring",
    "title_zh": "人工智能升降機監測",
    "description_en": "Vibration sensors and a learned model flag lifts that will soon fail.",
    "description_zh": "以振動感應器及機器學習模型找出即將故障的升降機。",
    "categories": ["ai-data-analytics", "building-services"],
    "contact_email": "lab@ust.hk",
    "trl": 6,
}


@pytest.fixture
async def solutions(serve, tmp_path):
    """The solutions service on a SQLite file."""
    async with serve(bootstrap, create_app, SolutionsSettings(),
                     sqlite_url(tmp_path, "solutions")) as svc:
        yield svc


@pytest.fixture
async def solutions_db(serve, database_url):
    """The solutions service on each backend: a SQLite file, then the local PostgreSQL."""
    async with serve(bootstrap, create_app, SolutionsSettings(), database_url) as svc:
        yield svc
