"""`innoportal up` as a user runs it: every process starts, serves, talks over NATS, and stops on Ctrl-C.

It runs in a temporary directory (so ./var is that directory's) on free ports, never the
default ones, since a developer may be running `make up` on this machine.
"""

import asyncio
import json
import signal
import socket
import subprocess

import httpx
import pytest

from innoportal.services import SERVICES
from innoportal.testing.harness import stream_messages
from innoportal.testing.system import (  # noqa: F401 - the journey tests import them from here
    STOP_TIMEOUT,
    System,
    alive,
    cli,
    running_system,
    token_of,
    until,
)

pytestmark = pytest.mark.slow

WISH = {
    "title_en": "Lift fault prediction",
    "title_zh": "升降機故障預測",
    "description_en": "Predict passenger lift faults before passengers are trapped.",
    "description_zh": "在乘客被困之前預測升降機故障，並安排電梯維修。",
    "categories": ["building-services", "ai-data-analytics"],
    "contact_email": "lifts@emsd.gov.hk",
}
SOLUTION = {
    "title_zh": "人工智能電梯監測",
    "description_zh": "以振動感應器及機器學習監測電梯狀況，預早安排維修。",
    "categories": ["ai-data-analytics"],
    "contact_email": "lab@hkust.edu.hk",
    "trl": 6,
}


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    with running_system(tmp_path_factory.mktemp("up")) as system:
        yield system


def test_up_prints_where_everything_is(system):
    printed = system.printed
    assert f"nats://127.0.0.1:{system.ports['nats']}" in printed
    assert f"smtp://127.0.0.1:{system.ports['smtp']}" in printed
    for name in SERVICES:
        assert f"{name} (up)" in printed, printed
        assert system.url(name) in printed
    assert "token issue" in printed
    commands = " | ".join(system.children.values())
    assert "nats-server" in commands and "mailcatcher" in commands
    for name in SERVICES:
        assert f"serve {name}" in commands, commands


def test_every_service_is_healthy_and_ready(system):
    with httpx.Client(timeout=5) as client:
        for name in SERVICES:
            health = client.get(system.url(name) + "/healthz")
            assert health.status_code == 200, (name, health.text)
            until(lambda n=name: client.get(system.url(n) + "/readyz").status_code == 200,
                  30, f"{name} /readyz answering 200")
            ready = client.get(system.url(name) + "/readyz").json()
            assert ready["checks"] == {"database": "ok", "bus": "ok"}, (name, ready)


def test_data_lives_under_var_of_the_working_directory(system):
    var = system.cwd / "var"
    assert (var / "nats").is_dir()
    assert (var / "nats" / "jetstream").is_dir()
    assert (var / "mail").is_dir()
    for name in ("wishes", "solutions"):
        assert (var / f"{name}.db").is_file()
    assert (var / "logs" / "wishes.log").is_file()


def test_wish_and_solution_over_http_and_the_bus(system):
    department = cli(system, "token", "issue", "--role", "department", "--org", "EMSD")
    provider = cli(system, "token", "issue", "--role", "provider", "--org", "HKUST")
    dept_auth = {"Authorization": "Bearer " + token_of(department)}
    prov_auth = {"Authorization": "Bearer " + token_of(provider)}
    wishes, solutions = system.url("wishes"), system.url("solutions")
    with httpx.Client(timeout=10) as client:
        until(lambda: client.get(wishes + "/readyz").status_code == 200, 30, "wishes ready")
        posted = client.post(wishes + "/v1/wishes", json=WISH, headers=dept_auth)
        assert posted.status_code == 201, posted.text
        wish_id = posted.json()["id"]
        assert isinstance(wish_id, str) and wish_id
        got = client.get(f"{wishes}/v1/wishes/{wish_id}").json()
        assert got["title_zh"] == WISH["title_zh"] and got["owner_org"] == "EMSD"
        assert got["status"] == "open"

        # A Simplified query finds the Traditional text; a segmented query finds both words.
        for q in ("升降機", "电梯维修", "電梯維修"):
            found = client.get(wishes + "/v1/wishes", params={"q": q}).json()
            assert [w["id"] for w in found["items"]] == [wish_id], (q, found)
        assert client.get(wishes + "/v1/wishes", params={"q": "太陽能"}).json()["items"] == []

        # The solution names the wish: solutions knows of it only through WishPosted on NATS.
        solution = {**SOLUTION, "wish_id": wish_id}
        submitted = until(
            lambda: (r := client.post(solutions + "/v1/solutions", json=solution,
                                      headers=prov_auth)).status_code == 201 and r,
            30, "solutions learning of the wish from WishPosted")
        solution_id = submitted.json()["id"]
        got = client.get(f"{solutions}/v1/solutions/{solution_id}").json()
        assert got["owner_org"] == "HKUST" and got["trl"] == 6 and got["wish_id"] == wish_id
        found = client.get(solutions + "/v1/solutions", params={"q": "电梯监测"}).json()
        assert [s["id"] for s in found["items"]] == [solution_id], found

    nats_url = f"nats://127.0.0.1:{system.ports['nats']}"
    messages = until(lambda: len(m := asyncio.run(stream_messages(nats_url))) >= 2 and m,
                     30, "both events in the INNOPORTAL stream")
    by_subject = {m.subject: m for m in messages}
    wish_posted = json.loads(by_subject["innoportal.wish.posted"].data)
    assert wish_posted["wish"]["id"] == wish_id
    assert by_subject["innoportal.wish.posted"].headers["Nats-Msg-Id"] == wish_posted["event_id"]
    submitted_event = json.loads(by_subject["innoportal.solution.submitted"].data)
    assert submitted_event["solution"]["id"] == solution_id


def test_metrics_of_the_kernel_and_of_faststream(system):
    with httpx.Client(timeout=5) as client:
        for name in SERVICES:
            text = client.get(system.url(name) + "/metrics").text
            assert f'innoportal_service_info{{service="{name}"}} 1.0' in text, name
            assert "innoportal_outbox_backlog" in text
            assert "innoportal_outbox_oldest_unpublished_age_seconds" in text
        wishes = client.get(system.url("wishes") + "/metrics").text
    assert "faststream_published_messages_total" in wishes
    assert "faststream_received_messages_total" in wishes
    assert "innoportal_http_requests_total" in wishes
    # After the wish above: counted, published through the outbox, nothing left waiting.
    samples = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
               for line in wishes.splitlines() if line and not line.startswith("#")}
    assert samples.get('innoportal_records_created_total{kind="wish"}', 0) >= 1, wishes
    assert samples.get("innoportal_outbox_published_total", 0) >= 1, wishes
    assert any(k.startswith("faststream_published_messages_total") and v >= 1
               for k, v in samples.items()), wishes


def test_nats_fsyncs_before_every_ack(system):
    from innoportal.natsbin import DURABLE_SINCE, version_of

    command = next(cmd for cmd in system.children.values() if "nats-server" in cmd)
    binary, flag, conf = command.split()[:3]
    assert flag == "-c" and version_of(binary) >= DURABLE_SINCE, command
    text = (system.cwd / "var" / "nats" / "nats.conf").read_text()
    assert "sync_interval: always" in text and str(system.ports["nats"]) in text
    assert "fsync before every ack" in system.printed


def test_a_service_killed_with_sigkill_comes_back_and_serves(system):
    import os

    from innoportal.testing.system import child_pids

    def serving(name: str) -> dict[int, str]:
        return {pid: cmd for pid, cmd in child_pids(system.proc.pid).items()
                if cmd.endswith(f"serve {name} --port {system.ports[name]}")}

    [(old_pid, command)] = serving("wishes").items()
    os.kill(old_pid, signal.SIGKILL)
    new = until(lambda: [p for p in serving("wishes") if p != old_pid], 30, "wishes restarted")
    with httpx.Client(timeout=5) as client:
        until(lambda: client.get(system.url("wishes") + "/readyz").status_code == 200, 60,
              "the restarted wishes service ready")
        assert client.get(system.url("wishes") + "/v1/wishes").status_code == 200
    until(lambda: "wishes restarted" in system.printed, 10, "the restart logged")
    assert "wishes exited (code -9)" in system.printed and "restarts so far: 1" in system.printed
    system.children.pop(old_pid)  # the test of Ctrl-C checks the children alive now
    system.children[new[0]] = command


def test_ctrl_c_stops_everything_cleanly(system):
    assert system.proc.poll() is None
    assert all(listening(port) for port in system.ports.values() if port != system.ports["smtp"])
    assert system.children and all(alive(pid, cmd) for pid, cmd in system.children.items())
    system.proc.send_signal(signal.SIGINT)
    try:
        code = system.proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`innoportal up` still running {STOP_TIMEOUT}s after Ctrl-C:\n"
                    f"{system.printed}")
    assert code == 0, system.printed
    left = {pid: cmd for pid, cmd in system.children.items() if alive(pid, cmd)}
    assert not left, f"processes left behind: {left}"
    listeners = [name for name, port in system.ports.items() if listening(port)]
    assert not listeners, f"still listening after Ctrl-C: {listeners}"
    assert "All stopped." in system.printed

