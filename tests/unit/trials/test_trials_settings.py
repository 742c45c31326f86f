"""Trials settings: where report links point."""

from services.trials.settings import TrialsSettings


def test_report_links_start_with_the_public_url(monkeypatch):
    monkeypatch.delenv("INNOPORTAL_TRIALS_PUBLIC_URL", raising=False)
    assert TrialsSettings().public_url == "http://127.0.0.1:8105"
    settings = TrialsSettings(public_url="https://portal.example.hk/{x}/trials/")
    url = settings.report_url_template().format(trial_id="t-1", version=2)
    assert url == "https://portal.example.hk/{x}/trials/v1/trials/t-1/report?version=2"


def test_the_environment_configures_the_service(monkeypatch):
    monkeypatch.setenv("INNOPORTAL_TRIALS_PUBLIC_URL", "https://innoportal.emsd.gov.hk")
    monkeypatch.setenv("INNOPORTAL_TRIALS_PORT", "9105")
    settings = TrialsSettings()
    assert (settings.name, settings.port) == ("trials", 9105)
    assert settings.report_url_template().startswith("https://innoportal.emsd.gov.hk/v1/trials/")
