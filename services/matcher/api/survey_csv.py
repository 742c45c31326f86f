"""A market survey as CSV for a procurement file: the kernel's one CSV rule (UTF-8 with a BOM,
a header row, formulas neutralised), one line per candidate, linked to its page on the portal."""

from urllib.parse import quote

from fastapi.responses import Response

from innoportal.csv_cells import MEDIA_TYPE, csv_document
from services.matcher.survey_models import SolutionCandidate, SurveyPage, WishCandidate

SOLUTION_COLUMNS = ("rank", "solution_id", "score", "title_en", "title_zh", "owner_org",
                    "categories", "trl", "reasons", "url")
WISH_COLUMNS = ("rank", "wish_id", "score", "title_en", "title_zh", "owner_org", "categories",
                "status", "closes_on", "reasons", "url")
# Downloads load nothing and run nothing wherever they are opened.
HEADERS = {"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
           "X-Content-Type-Options": "nosniff"}


def wants_csv(format_: str | None, accept: str) -> bool:
    """`format=csv`, or (no format) an Accept that ranks text/csv before application/json."""
    if format_:
        return format_ == "csv"
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    if "text/csv" not in types:
        return False
    return "application/json" not in types or types.index("text/csv") < types.index(
        "application/json")


def _reasons(item: SolutionCandidate | WishCandidate) -> list[str]:
    return [f"{r.kind}: {r.value}" for r in item.reasons]


def survey_csv(page: SurveyPage, portal_url: str, lang_path: str) -> Response:
    """The page's candidates as a CSV download, each with the address of its portal page."""
    base = portal_url.rstrip("/") + f"/{lang_path}"
    rows = []
    for rank, item in enumerate(page.items, start=page.offset + 1):
        shared = [item.title_en, item.title_zh, item.owner_org, item.categories]
        if isinstance(item, SolutionCandidate):
            url = f"{base}/solutions/{quote(item.solution_id, safe='')}"
            rows.append([rank, item.solution_id, item.score, *shared, item.trl,
                         _reasons(item), url])
        else:
            url = f"{base}/wishes/{quote(item.wish_id, safe='')}"
            closes = item.closes_on.isoformat() if item.closes_on else None
            rows.append([rank, item.wish_id, item.score, *shared, item.status, closes,
                         _reasons(item), url])
    columns = SOLUTION_COLUMNS if page.ranks == "solutions" else WISH_COLUMNS
    disposition = f'attachment; filename="innoportal-survey-{page.ranks}.csv"'
    return Response(csv_document(columns, rows), media_type=MEDIA_TYPE,
                    headers={**HEADERS, "Content-Disposition": disposition,
                             "X-Total-Count": str(page.total)})
