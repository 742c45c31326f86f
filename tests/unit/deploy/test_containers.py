"""The Dockerfile and deploy/compose.yaml agree with the code and the rest of deploy/: every
service, port, setting and volume. No image is built here (no Docker engine); `docker compose
config` runs only where a docker with the compose plugin is installed."""

import importlib.util
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from innoportal.services import SERVICES

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
NATS_NODES = ("nats1", "nats2", "nats3")
OTHERS = {"postgres", "mail", "prometheus", "blackbox", "grafana", *NATS_NODES}


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _final_stage(dockerfile: str) -> list[str]:
    return dockerfile.split("\nFROM ")[-1].splitlines()


def test_one_image_not_root_with_a_health_check_serving_a_service():
    text = (ROOT / "Dockerfile").read_text()
    final = _final_stage(text)
    [user] = [line.split()[1] for line in final if line.startswith("USER ")]
    assert user.split(":")[0] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK ") for line in final)
    assert "healthcheck.py" in text and (DEPLOY / "compose" / "healthcheck.py").exists()
    [cmd] = [line for line in final if line.startswith("CMD ")]
    assert cmd.startswith('CMD ["innoportal", "serve", ')
    ignored = (ROOT / ".dockerignore").read_text().split()
    for line in text.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
                assert source.split("/")[0] not in ignored, source


def _env(service: str) -> dict[str, str]:
    """The service's environment, each ${VARIABLE} of deploy/.env standing as `x`."""
    return {k: re.sub(r"\$\{[^}]*\}", "x", str(v))
            for k, v in COMPOSE["services"][service].get("environment", {}).items()}


def test_every_service_and_the_portal_run_from_the_image_on_their_port():
    assert set(COMPOSE["services"]) == set(SERVICES) | OTHERS
    check = _module(DEPLOY / "check.py", "deploy_check_containers")
    settings = check.settings_env()
    for name, info in SERVICES.items():
        service = COMPOSE["services"][name]
        assert service["image"] == "innoportal:latest" and service["build"]["context"] == ".."
        assert service["command"] == ["innoportal", "serve", name, "--host", "0.0.0.0"]
        assert [int(p.rsplit(":", 1)[1]) for p in service["ports"]] == [info.port]
        env = _env(name)
        unknown = {k for k in env if k.startswith("INNOPORTAL_")} - set(settings)
        assert not unknown, (name, unknown)
        database = urlsplit(env[f"INNOPORTAL_{name.upper()}_DATABASE_URL"])
        assert (database.hostname, database.username, database.path) == (
            "postgres", f"innoportal_{name}", f"/innoportal_{name}")
        nats = [urlsplit(u).hostname for u in env["INNOPORTAL_NATS_URL"].split(",")]
        assert nats == [f"{n}.innoportal.internal" for n in NATS_NODES]
        assert env["INNOPORTAL_SMTP_URL"] == "smtp://mail:8025"
        assert set(service["depends_on"]) >= {*NATS_NODES, "postgres"}
        data = [v for v in service["volumes"] if v.endswith(":" + env["INNOPORTAL_DATA_DIR"])]
        assert len(data) == 1, name
    for name, info in SERVICES.items():
        if name != "portal":
            assert _env("portal")[f"INNOPORTAL_PORTAL_{name.upper()}_URL"] == \
                f"http://{name}:{info.port}"


def test_the_nats_cluster_runs_deploys_node_configs():
    for number, node in enumerate(NATS_NODES, start=1):
        service = COMPOSE["services"][node]
        conf_path = f"/etc/nats/n{number}.conf"
        conf = (DEPLOY / "nats" / f"n{number}.conf").read_text()
        assert service["command"] == ["-c", conf_path]
        assert f"./nats/n{number}.conf:{conf_path}:ro" in service["volumes"]
        store = re.search(r'store_dir: "([^"]+)"', conf).group(1)
        assert any(v.endswith(":" + store) for v in service["volumes"])
        aliases = service["networks"]["default"]["aliases"]
        assert aliases == [f"{node}.innoportal.internal"] and aliases[0] in conf
        assert "sync_interval: always" in conf
        for variable in re.findall(r"\$([A-Z_]+)", conf):
            assert variable in service["environment"], (node, variable)


def test_postgres_is_set_up_by_deploys_init_sql():
    service = COMPOSE["services"]["postgres"]
    assert "./postgres/init.sql:/innoportal/init.sql:ro" in service["volumes"]
    script = (DEPLOY / "compose" / "postgres-init.sh").read_text()
    for variable in set(re.findall(r":'(\w+_password)'", (DEPLOY / "postgres" / "init.sql").read_text())):
        assert f"-v {variable}=" in script, variable


def _mounts() -> list[tuple[str, str]]:
    return [(v.split(":")[0], v.split(":")[1]) for s in COMPOSE["services"].values()
            for v in s.get("volumes", [])]


def test_every_mounted_file_exists_and_every_volume_is_declared():
    for source, _ in _mounts():
        if source.startswith("."):
            assert (DEPLOY / source).exists(), source
        else:
            assert source in COMPOSE["volumes"], source
    used = set(re.findall(r"\$\{(\w+)", (DEPLOY / "compose.yaml").read_text()))
    example = (DEPLOY / "compose.env.example").read_text()
    assert used <= set(re.findall(r"^(\w+)=", example, re.M)), used


def test_prometheus_scrapes_every_service_and_grafana_has_the_dashboard(tmp_path):
    config = yaml.safe_load((DEPLOY / "compose" / "prometheus.yml").read_text())
    jobs = {j["job_name"]: j for j in config["scrape_configs"]}
    scraped = {g["labels"]["service"]: g["targets"] for g in jobs["innoportal"]["static_configs"]}
    assert scraped == {name: [f"{name}:{info.port}"] for name, info in SERVICES.items()}
    assert jobs["innoportal-ready"]["relabel_configs"][-1]["replacement"] == "blackbox:9115"
    assert ("./prometheus/alerts.yml", "/etc/prometheus/alerts.yml") in _mounts()
    datasource = yaml.safe_load((DEPLOY / "compose" / "grafana-datasource.yaml").read_text())
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"
    provider = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "dashboards" / "innoportal.yaml").read_text())
    assert ("./grafana/dashboards", provider["providers"][0]["options"]["path"]) in _mounts()
    promtool = shutil.which("promtool")
    if promtool:  # the config as Prometheus reads it, its rules beside it
        shutil.copy(DEPLOY / "compose" / "prometheus.yml", tmp_path / "prometheus.yml")
        shutil.copy(DEPLOY / "prometheus" / "alerts.yml", tmp_path / "alerts.yml")
        done = subprocess.run([promtool, "check", "config", "prometheus.yml"], cwd=tmp_path,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_docker_compose_config_where_docker_compose_exists():
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        pytest.skip("no docker with the compose plugin here")
    done = subprocess.run([docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "--env-file",
                           str(DEPLOY / "compose.env.example"), "config", "--quiet"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


class _Healthz(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_the_health_check_asks_the_served_service(monkeypatch):
    check = _module(DEPLOY / "compose" / "healthcheck.py", "container_healthcheck")
    assert check.served(["/venv/python", "/venv/innoportal", "serve", "trials", "--port", "9"]) \
        == ("trials", "9")
    assert check.served(["innoportal", "mailcatcher"]) == ("", "")
    server = HTTPServer(("127.0.0.1", 0), _Healthz)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("INNOPORTAL_WISHES_PORT", str(server.server_port))
        assert check.main(["wishes"]) == 0
        server.shutdown()
        server.server_close()
        assert check.main(["wishes"]) == 1
        assert check.main(["nothing"]) == 1
    finally:
        server.server_close()
