"""Every service answers 503 with Retry-After, in the reader's language, when its own database
cannot be reached (innoportal.http): a PostgreSQL server that is not there. Never a 500."""

import importlib

import httpx
import pytest

from innoportal.db import Database
from innoportal.settings import CommonSettings
from innoportal.testing.nats_server import free_port

from .conftest import TEST_SECRET, bearer

# (service, a read that needs the database, a write that needs it, its body, the writer's role)
CASES = [
    ("wishes", "/v1/wishes", "/v1/wishes/w-1/close", {}, "department"),
    ("solutions", "/v1/solutions", "/v1/solutions", None, "provider"),
    ("matcher", "/v1/matches", "/v1/matches/m-1/accept", {}, "emsd"),
    ("trials", "/v1/trials", "/v1/venues", None, "emsd"),
]


def _app(name: str, tmp_path):
    boot = importlib.import_module(f"services.{name}.bootstrap")
    settings = importlib.import_module(f"services.{name}.settings")
    cls = next(getattr(settings, a) for a in dir(settings)
               if a.endswith("Settings") and a not in ("ServiceSettings", "BaseSettings"))
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path,
                            secret_key=TEST_SECRET)
    db = Database(f"postgresql+asyncpg://innoportal@127.0.0.1:{free_port()}/{name}")
    runtime = boot.bootstrap(cls(), common=common, db=db)
    return runtime, boot.create_app(runtime)


@pytest.mark.parametrize(("name", "read", "write", "body", "role"), CASES,
                         ids=[c[0] for c in CASES])
async def test_a_database_that_is_not_there_is_503_with_retry_after(tmp_path, name, read, write,
                                                                    body, role):
    runtime, app = _app(name, tmp_path)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            answers = [await http.get(read, headers={"Accept-Language": "zh-HK"})]
            if body is not None:
                answers.append(await http.post(write, json=body, headers=bearer(role, "EMSD")))
    finally:
        await runtime.db.dispose()
    for answer in answers:
        assert answer.status_code == 503, (answer.request.url, answer.text)
        assert answer.headers["retry-after"] == "30"
    assert answers[0].json()["detail"] == "服務暫時無法使用：無法連接其資料庫，請稍後再試"
