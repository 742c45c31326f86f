"""The home page: live figures in the style of EMSD's published ones, the newest wishes and reports."""

from dataclasses import dataclass, field
from typing import Any

from services.portal.adapters.upstream import Upstream
from services.portal.service.gather import settle

NEWEST = 5


@dataclass(frozen=True)
class Home:
    """What the home page shows; a figure is None when its service did not answer."""

    figures: dict[str, int | None]
    wishes: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    down: list[str] = field(default_factory=list)


async def show_home(upstream: Upstream, language: str) -> Home:
    """The figures and newest records, asked of the five services at once."""
    ask = {"language": language}
    answers, down = await settle({
        "wishes": upstream.get("wishes", "/v1/wishes", params={"status": "open", "limit": NEWEST}, **ask),
        "solutions": upstream.get("solutions", "/v1/solutions", params={"limit": 1}, **ask),
        "matches": upstream.get("matcher", "/v1/matches", params={"status": "accepted", "limit": 1}, **ask),
        "trials": upstream.get("trials", "/v1/trials", params={"state": "running", "limit": 1}, **ask),
        "reports": upstream.get("trials", "/v1/reports", params={"limit": NEWEST}, **ask),
    })

    def total(name: str) -> int | None:
        return None if answers[name] is None else int(answers[name]["total"])

    return Home(
        figures={
            "open_wishes": total("wishes"), "solutions": total("solutions"),
            "matches_accepted": total("matches"), "trials_running": total("trials"),
            "reports_published": total("reports"),
        },
        wishes=(answers["wishes"] or {}).get("items", []),
        reports=(answers["reports"] or {}).get("items", []),
        down=down,
    )
