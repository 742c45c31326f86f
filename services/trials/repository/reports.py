"""Published report versions: the sealed JSON document with its HTML and PDF renderings."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from services.trials.domain import NotFound
from services.trials.models import ReportRow
from services.trials.repository.rows import Queries


@dataclass(frozen=True)
class PublishedReport:
    """One stored version of a report: the sealed JSON document and its renderings."""

    trial_id: str
    version: int
    content: dict[str, Any]
    content_hash: str
    html: str
    pdf: bytes | None
    published_at: datetime


@dataclass(frozen=True)
class ReportRef:
    """The latest published version of a trial's report, without its content."""

    version: int
    content_hash: str
    published_at: datetime


def _report_filters(query: Any, *, latest_only: bool, verdict: str | None) -> Any:
    if latest_only:
        latest = (
            select(ReportRow.trial_id, func.max(ReportRow.version).label("v"))
            .group_by(ReportRow.trial_id)
            .subquery()
        )
        query = query.join(
            latest,
            (col(ReportRow.trial_id) == latest.c.trial_id) & (col(ReportRow.version) == latest.c.v),
        )
    if verdict is not None:
        query = query.where(col(ReportRow.verdict) == verdict)
    return query


class ReportQueries(Queries):
    """Store, fetch, list and count published reports."""

    async def add_report(self, report: PublishedReport) -> None:
        """Store a new report version (a duplicate version fails on the unique key)."""
        self.session.add(
            ReportRow(
                id=report.content["report_id"],
                trial_id=report.trial_id,
                version=report.version,
                verdict=report.content["verdict"],
                content_hash=report.content_hash,
                content=json.dumps(report.content, ensure_ascii=False, sort_keys=True),
                html=report.html,
                pdf=report.pdf,
                published_at=report.published_at,
            )
        )
        await self.session.flush()

    async def get_report(self, trial_id: str, version: int | None = None) -> PublishedReport:
        """A version of the trial's report (the latest when version is None), or NotFound."""
        query = select(ReportRow).where(col(ReportRow.trial_id) == trial_id)
        query = (
            query.where(col(ReportRow.version) == version)
            if version
            else query.order_by(col(ReportRow.version).desc())
        )
        row = (await self.session.exec(query.limit(1))).first()
        if row is None:
            raise NotFound("report", trial_id if version is None else f"{trial_id} v{version}")
        return PublishedReport(
            row.trial_id,
            row.version,
            json.loads(row.content),
            row.content_hash,
            row.html,
            row.pdf,
            row.published_at,
        )

    async def latest_report_ref(self, trial_id: str) -> ReportRef | None:
        """The version, hash and date of the trial's latest report, if it has one."""
        query = (
            select(ReportRow.version, ReportRow.content_hash, ReportRow.published_at)
            .where(col(ReportRow.trial_id) == trial_id)
            .order_by(col(ReportRow.version).desc())
        )
        row = (await self.session.exec(query.limit(1))).first()
        return None if row is None else ReportRef(*row)

    async def list_reports(
        self,
        *,
        latest_only: bool = True,
        verdict: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Published reports, newest first: trial, version, verdict, hash, titles, venue, dates."""
        query = _report_filters(select(ReportRow), latest_only=latest_only, verdict=verdict)
        query = (
            query.order_by(col(ReportRow.published_at).desc(), col(ReportRow.id))
            .limit(limit)
            .offset(offset)
        )
        out = []
        for row in (await self.session.exec(query)).all():
            doc = json.loads(row.content)
            solution = next(p for p in doc["parties"] if p["role"] == "solution")
            wish = next(p for p in doc["parties"] if p["role"] == "wish")
            out.append(
                {
                    "trial_id": row.trial_id,
                    "version": row.version,
                    "verdict": row.verdict,
                    "content_hash": row.content_hash,
                    "published_at": doc["published_at"],
                    "supersedes": doc["supersedes"],
                    "solution": solution,
                    "wish": wish,
                    "venue": {k: doc["venue"][k] for k in ("id", "name_en", "name_zh")},
                    "dates": doc["dates"],
                    "kpis_met": doc["kpis_met"],
                    "kpis_total": len(doc["kpis"]),
                }
            )
        return out

    async def count_reports(self, *, latest_only: bool = True, verdict: str | None = None) -> int:
        """How many reports list_reports would page through with the same filters."""
        query = _report_filters(
            select(func.count(col(ReportRow.id))).select_from(ReportRow),
            latest_only=latest_only, verdict=verdict,
        )
        return int((await self.session.exec(query)).one())
