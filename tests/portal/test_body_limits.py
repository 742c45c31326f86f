"""Bodies over the limit are a page in the reader's language, never raw JSON; a CSV of
measurements may be larger than a form."""

import httpx
import pytest

from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from services.portal.bootstrap import bootstrap, create_app
from services.portal.settings import PortalSettings

SECRET = "limits-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
async def client(tmp_path):
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path, secret_key=SECRET)
    runtime = bootstrap(PortalSettings(), common=common)
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        yield client


async def test_a_form_over_the_limit_is_a_413_page_in_the_readers_language(client):
    answer = await client.post("/zh-hk/subscribe", content=b"email=" + b"x" * 70_000,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "你送出的內容太大" in answer.text and '<html lang="zh-HK">' in answer.text


async def test_a_csv_upload_may_be_larger_than_a_form(client):
    files = {"file": ("readings.csv", b"kpi,value,measured_at\n" + b"x" * 100_000, "text/csv")}
    answer = await client.post("/en/my/trials/t-1/measurements/csv", files=files)
    assert answer.status_code != 413  # it reaches the page (which asks to sign in first)
    too_big = {"file": ("readings.csv", b"x" * 400_000, "text/csv")}
    refused = await client.post("/en/my/trials/t-1/measurements/csv", files=too_big)
    assert refused.status_code == 413 and "What you sent is too large" in refused.text


async def test_a_form_sent_in_chunks_over_the_limit_is_the_same_page(client):
    async def chunks():  # no Content-Length: the limit is found while the body is read
        yield b"email="
        for _ in range(80):
            yield b"x" * 1024

    answer = await client.post("/zh-hk/subscribe", content=chunks(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413 and answer.headers["connection"] == "close"
    assert answer.headers["content-type"].startswith("text/html")
    assert "你送出的內容太大" in answer.text and '<html lang="zh-HK">' in answer.text
