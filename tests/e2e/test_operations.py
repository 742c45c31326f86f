"""One `innoportal up` run watched as an operator would: a real Prometheus (and blackbox exporter)
scrapes it while traffic crosses every service; then every query of every dashboard panel is
valid and returns data, no alert fires, the logs hold no secret, and one trace crosses services.
Prometheus comes from Debian's packages (scripts/ensure-prometheus.sh installs them)."""

import json
import re
import subprocess
import time
from dataclasses import dataclass

import pytest

from innoportal.services import SERVICES
from innoportal.testing.otlp import OtlpReceiver
from innoportal.testing.prometheus import PROMETHEUS_DIR, Prometheus, ensure_tools, running_prometheus
from innoportal.testing.system import SECRET, System, running_system, until

from .traffic import Driven, drive

pytestmark = [pytest.mark.slow, pytest.mark.nats]
DASHBOARD = PROMETHEUS_DIR.parent / "grafana" / "dashboards" / "innoportal.json"
WINDOW = "10m"  # $__rate_interval: the whole run
# (panel, service) that are rightly empty while all is well; each says "none" instead of No data.
EMPTY_WHEN_HEALTHY = {
    ("FastStream handler exceptions/s", s) for s in SERVICES} | {
    ("FastStream publish exceptions/s", s) for s in SERVICES} | {
    ("records created", s) for s in ("portal", "matcher", "notifier")} | {
    ("consumer outcomes/s", "portal"), ("FastStream received/s by handler and status", "portal"),
    ("FastStream handler p99 duration", "portal"), ("FastStream received size", "portal"),
    ("FastStream in process", "portal"),
    ("FastStream published/s by destination and status", "notifier"),
    ("FastStream publish p99 duration", "notifier")}


@dataclass
class Run:
    """The watched run: the system, its Prometheus, the spans it exported, what was made."""

    system: System
    prometheus: Prometheus
    otlp: OtlpReceiver
    driven: Driven


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("operations")
    limits = {"INNOPORTAL_PORTAL_SIGN_IN_LINKS_PER_ADDRESS": "1000",
              "INNOPORTAL_PORTAL_SIGN_IN_LINKS_PER_CLIENT": "100000"}
    with OtlpReceiver() as otlp, \
            running_system(tmp, {**limits, "INNOPORTAL_OTLP_ENDPOINT": otlp.url}) as system, \
            running_prometheus(tmp / "prometheus", system.ports) as prometheus:
        driven = drive(system)
        time.sleep(3)  # a few more scrapes and rule evaluations (every second)
        yield Run(system, prometheus, otlp, driven)


def test_promtool_checks_the_config_and_rules_and_runs_the_rule_tests():
    promtool = ensure_tools()["promtool"]
    for args in (["check", "config", "prometheus.yml"], ["check", "rules", "alerts.yml"],
                 ["test", "rules", "alerts_test.yml"]):
        done = subprocess.run([promtool, *args], cwd=PROMETHEUS_DIR, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def _panels() -> list[dict]:
    return [p for p in json.loads(DASHBOARD.read_text())["panels"] if p["type"] != "row"]


def _queries(panel: dict) -> list[tuple[str, str, str]]:
    """(short title, service, query) of each target; the per-service row's for every service."""
    services = list(SERVICES) if "$service" in panel["title"] else [""]
    title = panel["title"].removeprefix("$service: ")
    return [(title, service, target["expr"].replace("$__rate_interval", WINDOW)
             .replace("$service", service)) for service in services for target in panel["targets"]]


def test_every_dashboard_query_is_valid_and_returns_data(run):
    assert {r["metric"]["service"] for r in run.prometheus.query(
        'innoportal_service_info{job="innoportal"}')["data"]["result"]} == set(SERVICES)
    empty, panels = set(), {}
    for panel in _panels():
        for title, service, expr in _queries(panel):
            answer = run.prometheus.query(expr)
            assert answer["status"] == "success", (title, service, expr, answer)
            panels[title] = panel
            if not answer["data"]["result"]:
                empty.add((title, service))
    assert empty == EMPTY_WHEN_HEALTHY, sorted(empty ^ EMPTY_WHEN_HEALTHY)
    for title, _ in empty:
        assert panels[title]["fieldConfig"]["defaults"]["noValue"] == "none", title


def test_every_rule_evaluates_and_no_alert_fires_while_all_is_healthy(run):
    rules = [r for g in run.prometheus.api("rules")["groups"] for r in g["rules"]]
    assert len(rules) >= 15
    assert [(r["name"], r["lastError"]) for r in rules if r["health"] != "ok"] == []
    active = run.prometheus.api("alerts")["alerts"]
    assert [(a["labels"]["alertname"], a["state"]) for a in active] == []


_TOKEN = re.compile(r"(?i)token=(?!\[redacted\])[^\s&\"'\\]+")
_URL_PASSWORD = re.compile(r"://[^/\s:@\"']+:(?!\[redacted\])[^@\s/\"']+@")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")


def test_the_logs_hold_no_token_link_password_or_secret_and_ids_on_lines(run):
    logs = sorted((run.system.cwd / "var" / "logs").glob("*.log"))
    assert {p.stem for p in logs} >= {*SERVICES, "mailcatcher", "nats"}
    for path in logs:
        text = path.read_text()
        for pattern in (_TOKEN, _URL_PASSWORD, _JWT):
            assert not pattern.search(text), (path.name, pattern.search(text).group(0))
        assert SECRET not in text, path.name
    assert SECRET not in run.system.printed and not _TOKEN.search(run.system.printed)
    for name in SERVICES:
        lines = [json.loads(line) for line in _log(run, name).splitlines() if line.strip()]
        assert all(line["service"] == name for line in lines)
        assert [line["event"] for line in lines if line["level"] in ("error", "critical")] == []
        requests = [line for line in lines if line["logger"] == "uvicorn.access"
                    and not line["path"].startswith(("/healthz", "/readyz", "/metrics"))]
        assert requests and all(line["request_id"] and line["trace_id"] for line in requests)


def _log(run: Run, name: str) -> str:
    return (run.system.cwd / "var" / "logs" / f"{name}.log").read_text()


def test_one_trace_crosses_the_services_to_the_alerts_smtp_send(run):
    crossed = {"innoportal-wishes", "innoportal-notifier", "innoportal-matcher",
               "innoportal-solutions"}

    def trace_of_alert():
        # Each service exports its spans in its own batches: wait until all four have.
        spans = list(run.otlp.spans)
        sends = {s.trace_id for s in spans if s.name == "smtp send"}
        posts = {s.trace_id: s for s in spans if s.name == "POST /v1/wishes"
                 and s.service == "innoportal-wishes" and s.trace_id in sends}
        found = [s for s in spans if s.trace_id in posts]
        return found if {s.service for s in found} >= crossed else None

    spans = until(trace_of_alert, 30, "the exported trace of a wish's alert")
    assert {s.service for s in spans} >= crossed
    portal = until(lambda: {s.trace_id for s in run.otlp.spans
                            if s.service == "innoportal-portal" and not s.parent_id}, 30,
                   "the portal's traces")
    into_services = {s.trace_id for s in run.otlp.spans
                     if s.service == "innoportal-wishes" and s.trace_id in portal}
    assert into_services, "a portal page's trace goes on into the wishes service"
