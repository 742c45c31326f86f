"""The services' INNOPORTAL_NATS_URL exactly as deploy/README.md gives it (three nodes, the
services' user in each URL) makes a broker: FastStream refuses credentials both in the URLs and
as options, which stopped every service at start before the kernel took them out of the URLs."""

import re
from pathlib import Path

from innoportal.bus import make_broker, split_servers
from innoportal.consume import ConsumePolicy
from innoportal.metrics import ServiceMetrics

README = Path(__file__).resolve().parents[3] / "deploy" / "README.md"


def documented_url() -> str:
    [url] = re.findall(r"^INNOPORTAL_NATS_URL=(nats://innoportal:\S+)$", README.read_text(),
                       flags=re.MULTILINE)
    return url


def test_the_documented_url_lists_the_three_nodes_and_the_credentials_go_as_options():
    url = documented_url().replace("PASSWORD", "p%40ss:w0rd", 3)
    servers, security = split_servers(url)
    assert servers == [f"nats://nats{k}.innoportal.internal:4222" for k in (1, 2, 3)]
    assert (security.username, security.password) == ("innoportal", "p@ss:w0rd")


def test_a_service_broker_is_made_from_the_documented_url():
    broker = make_broker(documented_url(), service="wishes", metrics=ServiceMetrics("wishes"),
                         policy=ConsumePolicy())
    assert broker is not None  # FastStream raised SetupError here


def test_a_url_without_credentials_is_kept_as_it_is():
    assert split_servers("nats://127.0.0.1:4250, nats://127.0.0.1:4251") == (
        ["nats://127.0.0.1:4250", "nats://127.0.0.1:4251"], None)
