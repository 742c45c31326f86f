"""The published performance report: JSON document (hashed, versioned), HTML and PDF views."""

from services.trials.report.document import (
    REPORT_SCHEMA,
    build_report,
    canonical_json,
    content_hash,
    correct_report,
    report_id,
    seal,
    verify,
)
from services.trials.report.html import render_html
from services.trials.report.svg import kpi_chart_svg


def render_pdf(doc: dict) -> bytes:
    """The report as PDF (reportlab imported only when a PDF is asked for)."""
    from services.trials.report.pdf import render_pdf as _render

    return _render(doc)


__all__ = [
    "REPORT_SCHEMA",
    "build_report",
    "canonical_json",
    "content_hash",
    "correct_report",
    "kpi_chart_svg",
    "render_html",
    "render_pdf",
    "report_id",
    "seal",
    "verify",
]
