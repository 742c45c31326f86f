"""Every alert links to its section of deploy/RUNBOOK.md, and that section says what to look at
and what to do."""

import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def sections() -> dict[str, str]:
    """RUNBOOK.md's second-level sections by their GitHub anchor."""
    text = (DEPLOY / "RUNBOOK.md").read_text()
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-"): body
            for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_every_alert_has_a_runbook_url_to_a_section_that_says_what_to_look_at_and_do():
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    alerts = [r for g in rules["groups"] for r in g["rules"] if "alert" in r]
    found = sections()
    assert len(alerts) >= 15
    for alert in alerts:
        url = alert["annotations"].get("runbook_url", "")
        path, _, anchor = url.partition("#")
        assert path == "deploy/RUNBOOK.md", (alert["alert"], url)
        assert anchor == alert["alert"].lower() and anchor in found, (alert["alert"], url)
        body = found[anchor]
        assert "- Look:" in body and "- Do:" in body, alert["alert"]
    assert set(found) == {a["alert"].lower() for a in alerts}, "a section without its alert"
