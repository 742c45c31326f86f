"""The wishes service in-process, on SQLite (fast) or on each backend (wishes_db)."""

import pytest

from services.wishes.bootstrap import bootstrap, create_app
from services.wishes.settings import WishesSettings

from ..conftest import sqlite_url

WISH = {
    "title_en": "Lift fault prediction",
    "title_zh": "升降機故障預測",
    "description_en": "Predict passenger lift faults before they strand passengers.",
    "description_zh": "在乘客被困之前預測升降機故障。",
    "categories": ["building-services", "ai-data-analytics"],
    "contact_email": "lifts@emsd.gov.hk",
}


@pytest.fixture
async def wishes(serve, tmp_path):
    """The wishes service on a SQLite file."""
    async with serve(bootstrap, create_app, WishesSettings(), sqlite_url(tmp_path, "wishes")) as svc:
        yield svc


@pytest.fixture
async def wishes_db(serve, database_url):
    """The wishes service on each backend: a SQLite file, then the local PostgreSQL."""
    async with serve(bootstrap, create_app, WishesSettings(), database_url) as svc:
        yield svc
