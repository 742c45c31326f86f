"""The performance report as a standalone HTML page with bilingual headings and inline SVG.

Rendered from templates/report.html by Jinja2 with autoescape, the way the portal renders its
pages: every value from the document is text, compiled once, strict about missing values.
"""

import json
from functools import lru_cache
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from innoportal.templating import html_environment
from services.trials.report.document import aggregate_of
from services.trials.report.svg import kpi_chart_svg
from services.trials.report.text import L, fmt_moment, fmt_number


def _chart(kpi: dict[str, Any], start: str, end: str) -> Markup:
    return Markup(kpi_chart_svg(kpi, start, end))  # svg.py escapes every text it draws


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The report's Jinja2 environment: autoescaped, compiled once, strict about missing values."""
    env = html_environment("services.trials.report")
    env.globals.update(L=L, aggregate_of=aggregate_of, chart=_chart)
    env.filters.update(moment=fmt_moment, number=fmt_number, json=_json)
    return env


@lru_cache(maxsize=1)
def template() -> Template:
    """The page's template, compiled on first use and kept."""
    return environment().get_template("report.html")


def render_html(doc: dict[str, Any]) -> str:
    """The report document (sealed JSON) as a complete HTML page; every user text is escaped."""
    wish = next(p for p in doc["parties"] if p["role"] == "wish")
    solution = next(p for p in doc["parties"] if p["role"] == "solution")
    return template().render(doc=doc, wish=wish, solution=solution)
