"""A real Prometheus and blackbox exporter (Debian's packages) scraping a test's `innoportal up`,
configured from deploy/prometheus with the targets moved to the test's free ports."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from innoportal.testing.nats_server import free_port

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
TOOLS = ("prometheus", "promtool", "prometheus-blackbox-exporter")


def ensure_tools() -> dict[str, str]:
    """The binaries' paths, installing Debian's packages first when one is missing."""
    if not all(shutil.which(tool) for tool in TOOLS):
        subprocess.run([str(ROOT / "scripts" / "ensure-prometheus.sh")], check=True)
    return {tool: shutil.which(tool) or tool for tool in TOOLS}


def local_config(ports: dict[str, int], blackbox: str, interval: str = "1s") -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml with each service's target on 127.0.0.1 at its port,
    the blackbox exporter at `blackbox`, its rules from deploy/prometheus, no NATS job and no
    Alertmanager (alerts are read from Prometheus itself)."""
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"].update(scrape_interval=interval, scrape_timeout=interval,
                            evaluation_interval=interval)
    config["rule_files"] = [str(PROMETHEUS_DIR / name) for name in config["rule_files"]]
    config.pop("alerting", None)
    jobs = []
    for job in config["scrape_configs"]:
        if job["job_name"] == "nats":
            continue
        for group in job["static_configs"]:
            port = ports[group["labels"]["service"]]
            ready = job["job_name"] == "innoportal-ready"
            group["targets"] = [f"http://127.0.0.1:{port}/readyz" if ready else f"127.0.0.1:{port}"]
        for rule in job.get("relabel_configs", []):
            if rule.get("target_label") == "__address__":
                rule["replacement"] = blackbox
        jobs.append(job)
    config["scrape_configs"] = jobs
    return config


@dataclass
class Prometheus:
    """A running Prometheus: its HTTP API, through one client for every query (a new client
    loads the CA bundle each time, which costs more than the query)."""

    url: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    def query(self, expr: str) -> dict[str, Any]:
        """The instant query's answer (status, data or error), as Prometheus gives it."""
        return self.client.get(f"{self.url}/api/v1/query", params={"query": expr}).json()

    def api(self, path: str) -> Any:
        """GET /api/v1/<path>'s data."""
        answer = self.client.get(f"{self.url}/api/v1/{path}").json()
        assert answer["status"] == "success", answer
        return answer["data"]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-3000:]}")


def _wait_scraped(prometheus: Prometheus, at_least: int, timeout: float = 60) -> None:
    # Targets are applied some seconds after start: traffic before the first scrape would be
    # in the first sample, invisible to rate() (as it is not when Prometheus runs all along).
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        targets = prometheus.api("targets")["activeTargets"]
        if len(targets) >= at_least and all(t["health"] == "up" for t in targets):
            return
        time.sleep(0.5)
    raise RuntimeError(f"Prometheus did not scrape every target: {targets}")


@contextmanager
def running_prometheus(workdir: Path, ports: dict[str, int]) -> Iterator[Prometheus]:
    """The blackbox exporter and Prometheus (data in `workdir`) until the block ends."""
    tools = ensure_tools()
    workdir.mkdir(parents=True, exist_ok=True)
    blackbox_port, prometheus_port = free_port(), free_port()
    procs: list[subprocess.Popen] = []
    prometheus: Prometheus | None = None
    try:
        log = workdir / "blackbox.log"
        procs.append(subprocess.Popen(
            [tools["prometheus-blackbox-exporter"], f"--config.file={PROMETHEUS_DIR / 'blackbox.yml'}",
             f"--web.listen-address=127.0.0.1:{blackbox_port}"],
            stdout=log.open("wb"), stderr=subprocess.STDOUT))
        _wait_http(f"http://127.0.0.1:{blackbox_port}/", procs[-1], log)
        config = workdir / "prometheus.yml"
        scrape = local_config(ports, f"127.0.0.1:{blackbox_port}")
        config.write_text(yaml.safe_dump(scrape))
        targets = sum(len(g["targets"]) for job in scrape["scrape_configs"]
                      for g in job["static_configs"])
        log = workdir / "prometheus.log"
        procs.append(subprocess.Popen(
            [tools["prometheus"], f"--config.file={config}",
             f"--storage.tsdb.path={workdir / 'data'}",
             f"--web.listen-address=127.0.0.1:{prometheus_port}"],
            stdout=log.open("wb"), stderr=subprocess.STDOUT))
        url = f"http://127.0.0.1:{prometheus_port}"
        _wait_http(f"{url}/-/ready", procs[-1], log)
        prometheus = Prometheus(url)
        _wait_scraped(prometheus, targets)
        yield prometheus
    finally:
        if prometheus is not None:
            prometheus.client.close()
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
