"""EMSD's match queue: /{lang}/my/matches, to accept a match or reject it with a reason.

After a decision the page comes back (Post/Redirect/Get) with `done=<match id>`, or
`already=<match id>` when someone decided it first: the notice reads that match from the matcher,
so it says what is true now, not what a query string claims.
"""

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from innoportal.fields import is_record_id
from services.portal.adapters.upstream import Rejected, Upstream
from services.portal.api.forms import checked_form, csrf_token, text_fields
from services.portal.api.session import EmsdDep, api_token
from services.portal.api.web import LanguageDep, UpstreamDep, page_url, query_of, render
from services.portal.domain.accounts import Actor
from services.portal.domain.language import Language
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Checked, Choice, Text, Whole, check_query
from services.portal.domain.records import shown
from services.portal.domain.texts import translate
from services.portal.service import my_matches as queue

router = APIRouter(include_in_schema=False)
TEMPLATE = "my/matches/queue.html"


def queue_rules(size: int) -> dict:
    """What the queue's query string accepts."""
    return {
        "status": Choice(frozenset(queue.STATUSES), "my.matches.bad_status"),
        "page": Whole(1, max_page(size)),
        "done": Text(40),
        "already": Text(40),
    }


def field_id(action: str, match_id: str) -> str:
    """The id of a match's reason field (one accept and one reject form per match)."""
    return f"{action}-{match_id}-reason"


async def _notice(upstream: Upstream, language: Language, token: str,
                  query: Checked) -> dict[str, Any] | None:
    """The match a decision notice is about, and which notice: `done` or `already`."""
    for kind in ("done", "already"):
        match_id = query.values.get(kind)
        if match_id and is_record_id(match_id):
            found = await queue.one_match(upstream, language.tag, token, match_id)
            if found is not None:
                return {"kind": kind, "match": found}
    return None


async def queue_page(request: Request, language: Language, actor: Actor, upstream: Upstream,
                     query: Checked, *, status_code: int = 200,
                     problems: dict[str, str] | None = None, other: list[str] | None = None,
                     typed: dict[str, str] | None = None, focus: str = "") -> Response:
    """The queue (or the decided matches), with a decision's notice or a form's problems."""
    csrf_token(request)
    size = request.app.state.runtime.settings.page_size
    token = api_token(request, actor)
    status = query.values.get("status", "pending")
    context: dict[str, Any] = {
        "query": query, "status": status, "listing": None, "query_problems": dict(query.problems),
        "problems": problems or {}, "other_problems": other or [], "typed": typed or {},
        "notice": None, "field_id": field_id, "labels": {},
        "heading_key": "my.matches.title" if status == "pending" else f"my.matches.title.{status}",
    }
    if query.ok:
        page = query.values.get("page", 1)
        listing = await queue.find_matches(upstream, language.tag, token, status=status, page=page,
                                           size=size)
        if listing.beyond_end and listing.paging.total:
            # A decision emptied the last page: show the last page there now is.
            listing = await queue.find_matches(upstream, language.tag, token, status=status,
                                               page=listing.paging.last, size=size)
        if focus and focus not in {m["id"] for m in listing.items}:
            # The match whose form has a problem moved off this page: show it first all the same.
            found = await queue.one_match(upstream, language.tag, token, focus)
            if found is not None:
                listing.items.insert(0, found)
        context["listing"] = listing
        context["notice"] = await _notice(upstream, language, token, query)
        context["labels"] = {field_id(a, m["id"]): label(a, m, language)
                             for m in listing.items for a in queue.ACTIONS}
    elif status_code == 200:
        status_code = 400
    return render(request, language, TEMPLATE, context, status=status_code)


def label(action: str, match: dict[str, Any], language: Language) -> str:
    """How the error summary names a reason field: which field, of which match."""
    key = "my.matches.accept_note" if action == "accept" else "my.matches.reject_reason"
    titles = [found.text for side in ("wish", "solution")
              if (found := shown(match.get(side, {}), "title", language))]
    return translate("my.matches.field_of", language, field=translate(key, language),
                     pair=translate("my.matches.and", language).join(titles))


@router.get("/{lang:lang}/my/matches")
async def matches(request: Request, language: LanguageDep, actor: EmsdDep,
                  upstream: UpstreamDep) -> Response:
    """The matches to decide, best score first; `status=accepted|rejected` shows decided ones."""
    size = request.app.state.runtime.settings.page_size
    query = check_query(query_of(request), queue_rules(size))
    return await queue_page(request, language, actor, upstream, query)


async def _decide(request: Request, language: Language, actor: Actor, upstream: Upstream,
                  match_id: str, action: str) -> Response:
    form = await checked_form(request)
    reason = text_fields(form, ("reason",)).get("reason", "")
    size = request.app.state.runtime.settings.page_size
    # The queue page the form was on (kept in the form's action), to come back to it.
    back = check_query(query_of(request), {"page": Whole(1, max_page(size))})
    page = back.values.get("page")
    path = f"/{language.path}/my/matches"
    try:
        await queue.decide(upstream, language.tag, api_token(request, actor), match_id, action,
                           reason)
    except Rejected as exc:
        if exc.status == 409:
            return RedirectResponse(page_url(path, {"page": page, "already": match_id}), 303)
        if exc.status not in (400, 422):
            raise
        fid = field_id(action, match_id)
        found = queue.problems_of(exc, fid, "；" if language.index else "; ",
                                  translate("my.matches.reason_required", language))
        query = check_query({"page": str(page or "")}, queue_rules(size))
        return await queue_page(request, language, actor, upstream, query, status_code=exc.status,
                                problems=found.fields, other=found.other, typed={fid: reason},
                                focus=match_id)
    return RedirectResponse(page_url(path, {"page": page, "done": match_id}), 303)


@router.get("/{lang:lang}/my/matches/{match_id}/{action}")
async def back_to_queue(language: LanguageDep, actor: EmsdDep, match_id: str,
                        action: str) -> Response:
    """A decision's address opened by GET (a problem page's language switch): the queue."""
    if action not in queue.ACTIONS:
        raise HTTPException(404, "action: no such page")
    return RedirectResponse(f"/{language.path}/my/matches", 303)


@router.post("/{lang:lang}/my/matches/{match_id}/accept")
async def accept(request: Request, language: LanguageDep, actor: EmsdDep, upstream: UpstreamDep,
                 match_id: str) -> Response:
    """Accept a match (an optional note goes to both parties); then a trial can be opened."""
    return await _decide(request, language, actor, upstream, match_id, "accept")


@router.post("/{lang:lang}/my/matches/{match_id}/reject")
async def reject(request: Request, language: LanguageDep, actor: EmsdDep, upstream: UpstreamDep,
                 match_id: str) -> Response:
    """Reject a match with a reason (the matcher refuses one without)."""
    return await _decide(request, language, actor, upstream, match_id, "reject")
