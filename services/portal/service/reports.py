"""The performance reports: the published list, one report in a reader's language, its charts
and its downloads (all from the trials service's public API)."""

from dataclasses import dataclass
from typing import Any

from services.portal.adapters.upstream import Answer, Upstream
from services.portal.service.gather import together
from services.portal.service.listing import Listing, fetch_page
from services.portal.service.trials import Amendment, amendments_of, party, trial_path

VERDICTS = ("passed", "partially_passed", "failed")
MAX_VERSION = 1_000_000  # the trials API's own bound
DOWNLOADS = {"pdf": "application/pdf", "json": "application/json"}


async def find_reports(upstream: Upstream, language: str, filters: dict[str, Any], *, page: int,
                       size: int) -> Listing:
    """Published reports (the latest version of each), newest first, by verdict."""
    return await fetch_page(upstream, "trials", "/v1/reports", filters=filters, number=page,
                            size=size, language=language)


@dataclass(frozen=True)
class ReportPage:
    """One version of a report, and where it sits among the trial's versions."""

    doc: dict[str, Any]
    wish: dict[str, Any]
    solution: dict[str, Any]
    amendments: list[Amendment]
    latest: int

    @property
    def version(self) -> int:
        """The version shown."""
        return int(self.doc["version"])

    @property
    def earlier(self) -> list[int]:
        """The versions before this one, newest first."""
        return list(range(self.version - 1, 0, -1))


async def show_report(upstream: Upstream, language: str, trial_id: str,
                      version: int | None) -> ReportPage:
    """Version `version` of a trial's report (the latest when None); NotFound for none."""
    path = trial_path(trial_id, "/report.json")
    if version is None:
        doc = await upstream.get("trials", path, language=language)
        latest = int(doc["version"])
    else:  # an older version says so, and links to the latest
        doc, trial = await together(
            upstream.get("trials", path, params={"version": version}, language=language),
            upstream.get("trials", trial_path(trial_id), language=language))
        latest = int((trial.get("report") or {}).get("version") or doc["version"])
    parties = doc.get("parties", [])
    return ReportPage(doc, party(parties, "wish"), party(parties, "solution"),
                      amendments_of(doc.get("amendments", [])), latest)


async def report_chart(upstream: Upstream, language: str, trial_id: str, number: int,
                       version: int | None) -> Answer:
    """Chart `number` (from 1) of a report version, drawn by the trials service in `language`."""
    return await upstream.request(
        "GET", "trials", trial_path(trial_id, f"/report/charts/{number}.svg"),
        params={"version": version, "lang": language}, language=language, accept="image/svg+xml")


async def report_file(upstream: Upstream, language: str, trial_id: str, kind: str,
                      version: int | None) -> Answer:
    """A report version as published, pdf or json (the bytes as the service keeps them)."""
    return await upstream.request(
        "GET", "trials", trial_path(trial_id, f"/report.{kind}"), params={"version": version},
        language=language, accept=DOWNLOADS[kind])
