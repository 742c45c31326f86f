"""Workspace pages of a department's wishes and a provider's solutions: /{lang}/my/wishes and
/{lang}/my/solutions (each record with its matches, decisions and trials), the forms that post
them, and closing a wish.

The services' APIs decide, with the person's token: the page only shows their answers, and after
a successful POST comes back by Post/Redirect/Get with a notice.
"""

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.adapters.upstream import NotFound, Rejected, ServiceDown, Upstream
from services.portal.api.errors import RETRY_AFTER_SECONDS, error_page
from services.portal.api.forms import checked_form, csrf_token, fields_of, text_fields
from services.portal.api.session import DepartmentDep, ProviderDep, RoleRefused, api_token
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain import trl
from services.portal.domain.accounts import Actor
from services.portal.domain.language import Language
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Problem, Text, Whole, check_query
from services.portal.domain.records import categories_in
from services.portal.domain.texts import translate
from services.portal.service import my_records as mine

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 10  # each record brings its matches and trials: a shorter page than public lists
PAGE = Whole(1, max_page(PAGE_SIZE))
NOTICES = ("posted", "closed", "already_closed")
LIST = {"wish": ("wishes", "my/wishes/list.html"),
        "solution": ("solutions", "my/solutions/list.html")}
FORM = {"wish": "my/wishes/new.html", "solution": "my/solutions/new.html"}
LABELS = {"title_en": "myrec.form.title_en", "title_zh": "myrec.form.title_zh",
          "description_en": "myrec.form.description_en",
          "description_zh": "myrec.form.description_zh",
          "categories": "myrec.form.categories", "contact_email": "myrec.form.contact_email",
          "budget_hkd": "myrec.form.budget_hkd", "closes_on": "myrec.form.closes_on",
          "venue_note": "myrec.form.venue_note", "trl": "trl.name", "website": "myrec.form.website",
          "wish_id": "myrec.form.wish_id"}


def _refused(exc: Rejected) -> None:
    """The API's own role check refused the person: the 403 page, as for any other page."""
    if exc.status in (401, 403):
        raise RoleRefused() from None


# ---- My wishes, my solutions ----

async def list_page(request: Request, language: Language, actor: Actor, upstream: Upstream,
                    kind: str, *, close_problem: dict[str, str] | None = None,
                    page: int | None = None, status: int = 200) -> Response:
    """My records, a page at a time, with the notice a POST came back with (or its problem)."""
    query = check_query(query_of(request), {"page": PAGE, **{n: Text(40) for n in NOTICES}})
    if not query.ok:
        return _bad_page(request, language, list(query.problems.values()))
    csrf_token(request)
    token = api_token(request, actor)
    found = await mine.own_records(upstream, language.tag, token, kind, actor.org,
                                   page=page or query.values.get("page", 1), size=PAGE_SIZE)
    if found.beyond_end and found.paging.total:
        return _bad_page(request, language, [Problem("input.page_beyond", {
            "page": found.paging.number, "last": found.paging.last})])
    collection, template = LIST[kind]
    return render(request, language, template, {
        "found": found, "kind": kind, "notice": _notice(query.values, found),
        "close_problem": close_problem,
        "path": f"/{language.path}/my/{collection}"}, status=status)


def _notice(values: dict[str, Any], found: mine.OwnPage) -> dict[str, Any] | None:
    """The notice a POST came back with, only if the page shows it true: the record named is
    here, and (for a closing) closed."""
    shown = {own.record["id"]: own.record for own in found.records}
    for kind in NOTICES:
        record = shown.get(values.get(kind, ""))
        if record and (kind == "posted" or record.get("status") == "closed"):
            return {"kind": kind, "record": record}
    return None


def _bad_page(request: Request, language: Language, problems: list[Problem]) -> Response:
    messages = [translate(p.key, language, **p.values) for p in problems]
    return error_page(request, 400, "error.bad_request.title", messages=messages)


@router.get("/{lang:lang}/my/wishes")
async def my_wishes(request: Request, language: LanguageDep, actor: DepartmentDep,
                    upstream: UpstreamDep) -> Response:
    """The department's own wishes, newest first, with matches, decisions and trials."""
    return await list_page(request, language, actor, upstream, "wish")


@router.get("/{lang:lang}/my/solutions")
async def my_solutions(request: Request, language: LanguageDep, actor: ProviderDep,
                       upstream: UpstreamDep) -> Response:
    """The provider's own solutions, newest first, with matches, decisions and trials."""
    return await list_page(request, language, actor, upstream, "solution")


# ---- Closing a wish ----

@router.post("/{lang:lang}/my/wishes/{wish_id}/close")
async def close(request: Request, language: LanguageDep, actor: DepartmentDep,
                upstream: UpstreamDep, wish_id: str) -> Response:
    """Close one of my wishes: back to my wishes with a notice; a bad reason beside its field."""
    form = text_fields(await checked_form(request), ("reason", "page"))
    page, problem = PAGE.check(form.get("page", ""))
    kept = {"page": page} if page and not problem else {}

    def back(notice: str) -> Response:
        query = urlencode({**kept, notice: wish_id})
        return RedirectResponse(f"/{language.path}/my/wishes?{query}", status_code=303)

    try:
        await mine.close_wish(upstream, language.tag, api_token(request, actor), wish_id,
                              form.get("reason", ""))
    except Rejected as exc:
        _refused(exc)
        if exc.status == 409:
            return back("already_closed")
        problems = mine.problems_of(exc, ("reason",), language.tag)
        message = problems.fields.get("reason") or "; ".join(problems.other)
        return await list_page(request, language, actor, upstream, "wish", status=422,
                               page=kept.get("page"),
                               close_problem={"wish_id": wish_id, "message": message,
                                              "reason": form.get("reason", "")})
    return back("closed")


@router.get("/{lang:lang}/my/wishes/{wish_id}/close")
async def close_by_link(language: LanguageDep, actor: DepartmentDep, wish_id: str) -> Response:
    """Nothing to show here (a sign-in may come back to it): my wishes, where the button is."""
    return RedirectResponse(f"/{language.path}/my/wishes", status_code=303)


# ---- The forms ----

def _form_page(request: Request, language: Language, kind: str, typed: dict[str, Any],
               problems: mine.Problems | None = None, *, status: int = 200,
               notices: list[str] | None = None, wish: dict[str, Any] | None = None,
               headers: dict[str, str] | None = None, similar: Any = None) -> Response:
    """The wish or solution form, filled with `typed`, its problems beside their fields (and
    the possible duplicates a check found: api/my_similar.py)."""
    problems = problems or mine.Problems({}, [])
    return render(request, language, FORM[kind], {
        "typed": typed, "problems": problems.fields, "form_messages": problems.other,
        "similar": similar,
        "notices": notices or [], "category_options": categories_in(language),
        "labels": {name: translate(key, language) for name, key in LABELS.items()},
        "trl_options": [(str(level), trl.described(level, language)) for level in trl.LEVELS],
        "wish": wish}, status=status, headers=headers)


async def _submit(request: Request, language: Language, actor: Actor, upstream: Upstream,
                  kind: str) -> tuple[dict[str, Any], Response | None]:
    """Send the POSTed form to the API: the stored record, or the form again with why not."""
    typed = mine.typed_form(kind, fields_of(await checked_form(request), mine.FIELDS[kind],
                                            ("categories",)))
    try:
        stored = await mine.post_record(upstream, language.tag, api_token(request, actor), kind,
                                        typed)
    except Rejected as exc:
        _refused(exc)
        problems = mine.problems_of(exc, (*mine.FIELDS[kind], "categories"), language.tag)
        wish = await _wish_shown(request, language, actor, upstream, typed.get("wish_id", ""))
        return {}, _form_page(request, language, kind, typed, problems, status=422, wish=wish)
    except ServiceDown as exc:
        notice = translate("myrec.form.down", language,
                           service=translate(f"service.{exc.service}", language))
        wish = await _wish_shown(request, language, actor, upstream, typed.get("wish_id", ""))
        return {}, _form_page(request, language, kind, typed, notices=[notice], status=503,
                              wish=wish, headers={"Retry-After": RETRY_AFTER_SECONDS})
    return stored, None


async def _wish_shown(request: Request, language: Language, actor: Actor, upstream: Upstream,
                      wish_id: str) -> dict[str, Any] | None:
    """The wish a re-shown solution form names (None when it cannot be read: the id stays)."""
    if not wish_id.strip():
        return None
    try:
        return await mine.wish_to_answer(upstream, language.tag, api_token(request, actor),
                                         wish_id.strip())
    except (NotFound, ServiceDown, Rejected):
        return None


@router.get("/{lang:lang}/my/wishes/new")
async def new_wish(request: Request, language: LanguageDep, actor: DepartmentDep) -> Response:
    """The bilingual wish form (the contact is the person's own address until changed)."""
    csrf_token(request)
    return _form_page(request, language, "wish", mine.blank_form("wish", contact_email=actor.email))


@router.post("/{lang:lang}/my/wishes/new")
async def post_wish(request: Request, language: LanguageDep, actor: DepartmentDep,
                    upstream: UpstreamDep) -> Response:
    """Post the wish: my wishes with a notice, or the form again with the API's objections."""
    stored, again = await _submit(request, language, actor, upstream, "wish")
    if again is not None:
        return again
    query = urlencode({"posted": stored["id"]})
    return RedirectResponse(f"/{language.path}/my/wishes?{query}", status_code=303)


@router.get("/{lang:lang}/my/solutions/new")
async def new_solution(request: Request, language: LanguageDep, actor: ProviderDep,
                       upstream: UpstreamDep) -> Response:
    """The solution form, for the wish `wish_id` names (while it is open) or the catalogue."""
    csrf_token(request)
    wish_id = query_of(request).get("wish_id", "").strip()
    wish = None
    if wish_id:
        wish = await mine.wish_to_answer(upstream, language.tag, api_token(request, actor), wish_id)
    typed = mine.blank_form("solution", contact_email=actor.email,
                            wish_id=wish["id"] if wish and wish.get("status") == "open" else "")
    return _form_page(request, language, "solution", typed, wish=wish)


@router.post("/{lang:lang}/my/solutions/new")
async def submit_solution(request: Request, language: LanguageDep, actor: ProviderDep,
                          upstream: UpstreamDep) -> Response:
    """Submit the solution: its public page, or the form again with the API's objections."""
    stored, again = await _submit(request, language, actor, upstream, "solution")
    if again is not None:
        return again
    return RedirectResponse(f"/{language.path}/solutions/{quote(stored['id'], safe='')}",
                            status_code=303)
