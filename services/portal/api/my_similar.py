"""Possible duplicates beside the workspace's wish and solution forms. "Check for similar …", a
second submit button of the form, posts it here; the same form comes back as typed, with the
records most like it. Nothing is stored, nothing is refused: the form's own button posts it at
any time, and when the matcher does not answer the form simply comes back without the panel."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.adapters.upstream import Upstream
from services.portal.api.forms import checked_form, fields_of
from services.portal.api.my_records import _form_page, _wish_shown
from services.portal.api.session import DepartmentDep, ProviderDep
from services.portal.api.web import LanguageDep, UpstreamDep
from services.portal.domain.accounts import Actor
from services.portal.domain.language import Language
from services.portal.service import my_records as mine
from services.portal.service.survey import has_text, similar_records

router = APIRouter(include_in_schema=False)


async def _check(request: Request, language: Language, actor: Actor, upstream: Upstream,
                 kind: str) -> Response:
    """The form again, kept as typed, with the panel of similar records (if the matcher said)."""
    typed = mine.typed_form(kind, fields_of(await checked_form(request), mine.FIELDS[kind],
                                            ("categories",)))
    found: Any = "no_text"
    if has_text(typed):
        found = await similar_records(upstream, language.tag, kind, typed)
    wish = None
    if kind == "solution":
        wish = await _wish_shown(request, language, actor, upstream, typed.get("wish_id", ""))
    return _form_page(request, language, kind, typed, wish=wish, similar=found)


@router.post("/{lang:lang}/my/wishes/new/similar")
async def check_wish(request: Request, language: LanguageDep, actor: DepartmentDep,
                     upstream: UpstreamDep) -> Response:
    """The wish form again, with the open wishes most like it."""
    return await _check(request, language, actor, upstream, "wish")


@router.post("/{lang:lang}/my/solutions/new/similar")
async def check_solution(request: Request, language: LanguageDep, actor: ProviderDep,
                         upstream: UpstreamDep) -> Response:
    """The solution form again, with the listed solutions most like it and their trials."""
    return await _check(request, language, actor, upstream, "solution")


@router.get("/{lang:lang}/my/wishes/new/similar")
async def wish_form(language: LanguageDep, actor: DepartmentDep) -> Response:
    """Nothing to show here (a sign-in may come back to it): the form, where the button is."""
    return RedirectResponse(f"/{language.path}/my/wishes/new", status_code=303)


@router.get("/{lang:lang}/my/solutions/new/similar")
async def solution_form(language: LanguageDep, actor: ProviderDep) -> Response:
    """Nothing to show here (a sign-in may come back to it): the form, where the button is."""
    return RedirectResponse(f"/{language.path}/my/solutions/new", status_code=303)
