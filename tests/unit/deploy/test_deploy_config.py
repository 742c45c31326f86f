"""deploy/ stays true to the code: alert and dashboard metrics exist, every setting is documented."""

import importlib.util
from pathlib import Path

import pytest

CHECK = Path(__file__).resolve().parents[3] / "deploy" / "check.py"


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location("deploy_check", CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_alerts_and_dashboard_name_only_metrics_the_services_expose(check, capsys):
    check.check_metric_names()
    assert "FAIL" not in capsys.readouterr().out


def test_every_setting_is_documented_in_the_env_examples(check, capsys):
    check.check_env_docs()
    assert "FAIL" not in capsys.readouterr().out


def test_the_dashboard_json_is_the_one_its_builder_writes(check, capsys):
    check.check_dashboard_fresh()
    assert "FAIL" not in capsys.readouterr().out
