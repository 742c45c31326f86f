"""The tests' nats-server is as durable as the deployed one: JetStream fsyncs every write before
acknowledging it (`sync_interval: always`), as nats-server itself reports on /varz."""

import httpx
import pytest

from innoportal.testing.nats_server import NatsServer, free_port

pytestmark = pytest.mark.nats


def jetstream_config(server: NatsServer) -> dict:
    return httpx.get(f"http://127.0.0.1:{server.monitor_port}/varz", timeout=10).json()[
        "jetstream"]["config"]


def test_the_test_nats_server_fsyncs_before_every_ack(tmp_path):
    server = NatsServer(tmp_path / "nats", monitor_port=free_port()).start()
    try:
        assert jetstream_config(server).get("sync_always") is True
        assert "sync_interval: always" in server.config_path.read_text()
    finally:
        server.stop()


def test_without_it_nats_server_flushes_on_its_own_timer(tmp_path):
    """The benchmarks' baseline: nats-server's default, fsync every two minutes."""
    server = NatsServer(tmp_path / "nats", monitor_port=free_port(), sync_always=False).start()
    try:
        config = jetstream_config(server)
        assert not config.get("sync_always") and config["sync_interval"] == 120 * 10**9
    finally:
        server.stop()
