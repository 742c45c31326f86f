"""A body over the limit sent to a real `innoportal serve` process: every plain client reads the
413 and its JSON error, 20 times in a row, with a Content-Length and with a chunked body (the
server drains what is left before answering, then closes, instead of resetting a client still
sending)."""

import json
import os
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator

import httpx
import pytest

from innoportal.testing.nats_server import free_port
from innoportal.testing.system import CLI, until

pytestmark = pytest.mark.slow
SECRET = "body-limit-secret-0123456789-abcdefghijklmnop"
BODY = b'{"title_en": "' + b"x" * 2_000_000 + b'"}'  # 2 MB, the default limit is 64 KiB
ROUNDS = 20
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> Iterator[str]:
    """The wishes service as `innoportal serve wishes` on a free port (its bus never reached)."""
    data = tmp_path_factory.mktemp("wishes")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOPORTAL_")}
    env.update(INNOPORTAL_NATS_URL="nats://127.0.0.1:1", INNOPORTAL_DATA_DIR=str(data),
               INNOPORTAL_SECRET_KEY=SECRET)
    port = free_port()
    with open(data / "wishes.log", "wb") as log:
        proc = subprocess.Popen([str(CLI), "serve", "wishes", "--port", str(port)], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        until(lambda: _healthy(base), 60, "the wishes service answering")
        yield base
    finally:
        proc.terminate()
        proc.wait(30)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def chunks() -> Iterator[bytes]:
    """BODY in 64 KiB pieces: sent chunked, without a Content-Length."""
    for at in range(0, len(BODY), 65_536):
        yield BODY[at:at + 65_536]


def assert_too_large(status: int, headers, body: bytes) -> None:
    """A 413 with the kernel's JSON error naming the body, on a connection that ends after it."""
    assert status == 413, body[:200]
    answer = json.loads(body)
    assert answer["errors"] == [{"field": "body", "message": "larger than 65536 bytes",
                                 "type": "too_large"}], answer
    assert answer["detail"] == "body: larger than 65536 bytes"
    assert headers["connection"] == "close"


def urllib_post(url: str, data) -> tuple[int, object, bytes]:
    request = urllib.request.Request(f"{url}/v1/wishes", data=data, headers=JSON, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_urllib_reads_the_413_every_time(url, chunked):
    for _ in range(ROUNDS):
        assert_too_large(*urllib_post(url, chunks() if chunked else BODY))


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_httpx_reads_the_413_every_time(url, chunked):
    with httpx.Client(timeout=30) as client:
        for _ in range(ROUNDS):
            answer = client.post(f"{url}/v1/wishes", content=chunks() if chunked else BODY,
                                 headers=JSON)
            assert_too_large(answer.status_code, answer.headers, answer.content)


def test_a_client_expecting_100_continue_is_answered_before_it_sends_the_body(url):
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"POST /v1/wishes HTTP/1.1\r\nHost: test\r\nContent-Type: application/json"
                     b"\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65_536):  # the server closes after its answer
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    assert status_line.startswith("HTTP/1.1 413"), answer[:300]  # no 100 Continue first
    assert_too_large(413, headers, body)
