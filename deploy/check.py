"""Check that deploy/ still matches the code, and validate its files with the real tools.

    .venv/bin/python deploy/check.py

Always: every metric named in the alerts and the dashboard exists (innoportal/metrics.py, each
service's own services/<name>/metrics.py and FastStream's Prometheus middleware); every INNOPORTAL_* setting of the code is documented in
deploy/env/ and every documented one exists; the dashboard JSON is what build_dashboard.py makes.
When found on PATH (or in PROMTOOL, NATS_SERVER): promtool check config/rules and test rules,
nats-server -t on the three node configs, systemd-analyze verify on the units.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DEPLOY / "grafana"))

from innoportal.services import SERVICES  # noqa: E402 - after the path is set

NOT_ENV = {"name"}  # ServiceSettings.name is the service's identity, not a setting
failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)
    print("FAIL", message)


# The series names a metric family gives in PromQL, by type: a counter is only its _total (and
# _created), so `rate(innoportal_notifier_emails_sent[5m])` fails the check as it should.
SAMPLE_SUFFIXES = {
    "counter": lambda b: {f"{b}_total", f"{b}_created"},
    "histogram": lambda b: {b, f"{b}_bucket", f"{b}_count", f"{b}_sum", f"{b}_created"},
    "summary": lambda b: {b, f"{b}_count", f"{b}_sum", f"{b}_created"},
    "info": lambda b: {f"{b}_info"},
}


def service_metric_classes() -> list[type]:
    """The classes of services/<name>/metrics.py; each registers its metrics in a registry."""
    import importlib

    classes = []
    for name in SERVICES:
        module_name = f"services.{name}.metrics"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        classes += [v for v in vars(module).values()
                    if isinstance(v, type) and v.__module__ == module_name]
    return classes


def known_metrics() -> set[str]:
    """Every sample name the services expose, with the _bucket/_count/_sum/_total forms."""
    from faststream.prometheus.container import MetricsContainer
    from prometheus_client import CollectorRegistry

    from innoportal.metrics import ServiceMetrics

    registry = ServiceMetrics("check").registry
    MetricsContainer(registry, custom_label_names=[])
    helper = CollectorRegistry()
    MetricsContainer(helper, custom_label_names=[])
    registries = [registry, helper]
    # A service's own metrics (e.g. NotifierMetrics) go into its runtime.metrics.registry:
    # each class gets a registry of its own here, as two services' classes never share one.
    for cls in service_metric_classes():
        own = CollectorRegistry()
        cls(own)
        registries.append(own)
    names = set()
    for reg in registries:
        for collector in list(reg._collector_to_names):
            for metric in collector.describe():
                names.update(SAMPLE_SUFFIXES.get(metric.type, lambda b: {b})(metric.name))
    return names | {"up", "probe_success"}


def check_metric_names() -> None:
    known = known_metrics()
    sources = {
        "prometheus/alerts.yml": (DEPLOY / "prometheus/alerts.yml").read_text(),
        "grafana/dashboards/innoportal.json": (DEPLOY / "grafana/dashboards/innoportal.json")
        .read_text(),
    }
    for where, text in sources.items():
        # Any lower-case innoportal_/faststream_ word is a metric name (settings are upper case),
        # so gauges without a telling suffix (innoportal_notifier_emails) are checked too.
        used = set(re.findall(r"\b(up|probe_success)\{", text))
        used |= set(re.findall(r"\b((?:innoportal|faststream)_[a-z_]+)\b", text))
        for name in sorted(used - known):
            fail(f"{where}: unknown metric {name}")
        print(f"ok   {where}: {len(used)} metric names, all exposed by the services")


def settings_env() -> dict[str, str]:
    """INNOPORTAL_* variable -> where the code declares it."""
    import importlib

    from innoportal.settings import CommonSettings, ServiceSettings

    env = {f"INNOPORTAL_{f.upper()}": "CommonSettings" for f in CommonSettings.model_fields}
    for name in SERVICES:
        cls, prefix = ServiceSettings, f"INNOPORTAL_{name.upper()}_"
        try:
            module = importlib.import_module(f"services.{name}.settings")
            cls = next(v for v in vars(module).values() if isinstance(v, type)
                       and issubclass(v, ServiceSettings) and v is not ServiceSettings)
            prefix = cls.model_config["env_prefix"]
        except (ModuleNotFoundError, StopIteration):
            pass
        for field in cls.model_fields:
            if field not in NOT_ENV:
                env[f"{prefix}{field.upper()}"] = cls.__name__
    return env


def check_env_docs() -> None:
    code = settings_env()
    documented: dict[str, str] = {}
    for path in sorted((DEPLOY / "env").glob("*.env.example")):
        for match in re.finditer(r"^#?(INNOPORTAL_[A-Z0-9_]+)=", path.read_text(), re.M):
            documented[match.group(1)] = path.name
    for var in sorted(set(code) - set(documented)):
        fail(f"{var} ({code[var]}) is not documented in deploy/env/")
    for var in sorted(set(documented) - set(code)):
        fail(f"deploy/env/{documented[var]}: {var} is read by no settings class")
    print(f"ok   deploy/env: {len(code)} INNOPORTAL_* settings, each documented")


def check_dashboard_fresh() -> None:
    import build_dashboard

    built = json.dumps(build_dashboard.dashboard(), indent=2, ensure_ascii=False) + "\n"
    if built != build_dashboard.OUT.read_text():
        fail("grafana/dashboards/innoportal.json is stale: run deploy/grafana/build_dashboard.py")
    else:
        print("ok   grafana dashboard JSON matches build_dashboard.py")


def run(label: str, cmd: list[str], **kwargs) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        fail(f"{label}: {(result.stdout + result.stderr).strip()[-800:]}")
    else:
        print(f"ok   {label}")


def check_with_tools() -> None:
    promtool = os.environ.get("PROMTOOL") or shutil.which("promtool")
    if promtool:
        prom = DEPLOY / "prometheus"
        run("promtool check config", [promtool, "check", "config", "prometheus.yml"], cwd=prom)
        run("promtool test rules", [promtool, "test", "rules", "alerts_test.yml"], cwd=prom)
    else:
        print("skip promtool (not found; set PROMTOOL=)")
    nats = os.environ.get("NATS_SERVER") or shutil.which("nats-server") or str(
        Path(sys.executable).parent / "nats-server")
    if Path(nats).exists():
        env = dict(os.environ, INNOPORTAL_NATS_PASSWORD="x", NATS_ADMIN_PASSWORD="y")
        for node in ("n1", "n2", "n3"):
            run(f"nats-server -t nats/{node}.conf", [nats, "-c", str(DEPLOY / f"nats/{node}.conf"),
                                                     "-t"], env=env)
    analyze = shutil.which("systemd-analyze")
    if analyze:
        with tempfile.TemporaryDirectory() as tmp:
            for unit in (DEPLOY / "systemd").iterdir():
                shutil.copy(unit, tmp)
            os.symlink("innoportal@.service", f"{tmp}/innoportal@wishes.service")
            os.symlink("nats-server@.service", f"{tmp}/nats-server@n1.service")
            result = subprocess.run(
                [analyze, "verify", "--man=no", f"{tmp}/innoportal@wishes.service",
                 f"{tmp}/nats-server@n1.service", f"{tmp}/innoportal.target"],
                capture_output=True, text=True)
            # The binaries live on the target hosts, not here.
            problems = [line for line in (result.stdout + result.stderr).splitlines()
                        if line.strip() and "is not executable" not in line]
            if problems:
                fail("systemd-analyze verify: " + "; ".join(problems))
            else:
                print("ok   systemd-analyze verify")


def main() -> int:
    check_metric_names()
    check_env_docs()
    check_dashboard_fresh()
    check_with_tools()
    print(f"\n{len(failures)} problem(s)" if failures else "\nall good")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
