"""The field trial pages: /{lang}/trials/{id}, a trial's plan, parties and record."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.api.web import LanguageDep, UpstreamDep, render
from services.portal.domain.records import shown
from services.portal.service.trials import show_trial

router = APIRouter(include_in_schema=False)


@router.get("/{lang:lang}/trials/{trial_id}")
async def trial_page(request: Request, trial_id: str, language: LanguageDep,
                     upstream: UpstreamDep) -> Response:
    """A field trial as the public sees it: state, venue, window, KPIs, amendments, timeline."""
    found = await show_trial(upstream, language.tag, trial_id)
    title = shown(found.solution, "title", language)
    return render(request, language, "trials/show.html", {
        "page": found, "trial": found.trial, "page_title": title.text if title else trial_id,
    })
