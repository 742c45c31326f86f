"""Field trials in the workspace, one role-aware route each: /{lang}/my/trials (EMSD: every trial
and the accepted matches awaiting one; a provider: its own), opening a trial (EMSD), and
/{lang}/my/trials/{id} with the actions of its state and the measurement forms."""

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.portal.adapters.upstream import Rejected, ServiceDown
from services.portal.api.errors import RETRY_AFTER_SECONDS
from services.portal.api.forms import checked_form, csrf_token, fields_of
from services.portal.api.session import EmsdDep, RoleRefused, api_token, signed_in_as
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain.accounts import Actor
from services.portal.domain.language import Language
from services.portal.domain.measurements_csv import (
    MAX_BYTES,
    batch_lines,
    example_file,
    measurement_body,
    parse_measurements,
)
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Choice, Whole, check_query
from services.portal.domain.texts import translate
from services.portal.service import my_trials as trials
from services.portal.service.gather import together
from services.portal.service.my_venues import (
    Problems,
    clash_of,
    clash_problems,
    down_notice,
    list_venues,
    problems_of,
    separator_of,
)

router = APIRouter(include_in_schema=False)
WorkerDep = Annotated[Actor, Depends(signed_in_as("emsd", "provider"))]
STATES = ("planned", "running", "completed", "terminated")


@router.get("/{lang:lang}/my/trials")
async def trial_list(request: Request, language: LanguageDep, upstream: UpstreamDep,
                     actor: WorkerDep) -> Response:
    """EMSD: every trial by state, and the accepted matches with no trial; a provider: its own."""
    size = request.app.state.runtime.settings.page_size
    query = check_query(query_of(request), {
        "state": Choice(frozenset(STATES), "my_trials.input.state"),
        "page": Whole(1, max_page(size))})
    context: dict[str, Any] = {"query": query, "problems": dict(query.problems), "listing": None,
                               "awaiting": None}
    if query.ok:
        filters = {"state": query.values.get("state")}
        if actor.role == "provider":
            filters["party_org"] = actor.org
        listing = trials.find_trials(upstream, language.tag, filters,
                                     page=query.values.get("page", 1), size=size)
        awaiting = (trials.awaiting_trials(upstream, language.tag, api_token(request, actor))
                    if actor.role == "emsd" else asyncio.sleep(0))
        context["listing"], context["awaiting"] = await together(listing, awaiting)
        problem = context["listing"].page_problem()
        if problem:
            context["problems"]["page"] = problem
    return render(request, language, "my/trials/list.html", context,
                  status=400 if context["problems"] else 200)


async def plan_page(request: Request, language: Language, upstream: UpstreamDep, actor: Actor,
                    match_id: str, typed: dict[str, Any], kpis: list[dict[str, str]], *,
                    problems: Problems | None = None, clash: list | None = None,
                    notices: list[str] | None = None, status: int = 200) -> Response:
    """The form opening a trial of `match_id`, filled with what was typed."""
    token = api_token(request, actor)
    match, venues = await together(trials.match_of(upstream, language.tag, token, match_id),
                                   list_venues(upstream, language.tag))
    problems = problems or Problems()
    if match.get("status") != "accepted":
        status, notices = 409, []  # the page says the match is not accepted, and shows no form
    return render(request, language, "my/trials/new.html", {
        "match": match, "venues": venues, "typed": typed, "kpis": kpis, "clash": clash or [],
        "problems": problems.fields, "form_messages": problems.other, "notices": notices or [],
        "kpi_rows": trials.KPI_ROWS}, status=status,
        headers={"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else None)


@router.get("/{lang:lang}/my/trials/new")
async def new_trial(request: Request, language: LanguageDep, upstream: UpstreamDep,
                    actor: EmsdDep) -> Response:
    """The plan of a trial of an accepted match: venue, dates, KPIs."""
    csrf_token(request)
    match_id = query_of(request).get("match_id", "").strip()
    if not match_id:  # the matches waiting for a trial are listed there
        return RedirectResponse(f"/{language.path}/my/trials#awaiting", status_code=303)
    kpis = [{**row, "aggregate": "mean"} for row in trials.typed_kpis({})]
    return await plan_page(request, language, upstream, actor, match_id, {}, kpis)


@router.post("/{lang:lang}/my/trials/new")
async def open_trial(request: Request, language: LanguageDep, upstream: UpstreamDep,
                     actor: EmsdDep) -> Response:
    """Open the trial: a clash is shown and nothing sent; else trials' answer."""
    form = await checked_form(request)
    typed = fields_of(form, ("match_id", *trials.PLAN_FIELDS))
    match_id, kpis = typed.get("match_id", "").strip(), trials.typed_kpis(form)

    async def again(**more: Any) -> Response:
        return await plan_page(request, language, upstream, actor, match_id, typed, kpis, **more)

    clash = await clash_of(upstream, language.tag, typed)
    if clash:
        return await again(problems=clash_problems(clash, language), clash=clash, status=409)
    body, rows = trials.plan_body(match_id, typed, kpis)
    try:
        trial = await trials.open_trial(upstream, language.tag, api_token(request, actor), body)
    except Rejected as exc:
        if trials.undecided(exc):
            notice = translate("my_trials.on_its_way", language)
            return await again(notices=[notice], status=409)
        # The 409 names the trial, but the portal's client keeps only the field errors: the
        # venue's calendar, read again, shows the booking that slipped in.
        if trials.booking_conflict(exc) and (clash := await clash_of(
                upstream, language.tag, typed)):
            return await again(problems=clash_problems(clash, language), clash=clash, status=409)
        problems = problems_of(exc, trials.plan_field(rows), separator_of(language.tag))
        trials.direction_missing(problems, kpis, language)
        return await again(problems=problems, status=exc.status)
    except ServiceDown:
        return await again(notices=[down_notice(language)], status=503)
    return RedirectResponse(f"/{language.path}/my/trials/{trial['id']}?done=opened",
                            status_code=303)


async def trial_page(request: Request, language: Language, upstream: UpstreamDep, actor: Actor,
                     trial_id: str, *, typed: dict[str, Any] | None = None,
                     problems: Problems | None = None, lines: list | None = None,
                     notices: list[str] | None = None, status: int = 200) -> Response:
    """A trial for EMSD (every action of its state) or for its own provider (measurements)."""
    view = await trials.trial_view(upstream, language.tag, trial_id)
    if actor.role == "provider" and trials.solution_org(view.trial) != actor.org:
        raise RoleRefused()
    csrf_token(request)
    problems = problems or Problems()
    return render(request, language, "my/trials/show.html", {
        "page": view, "trial": view.trial,
        "done": None if problems else trials.done_of(query_of(request)),
        "typed": typed or {}, "problems": problems.fields, "form_messages": problems.other,
        "lines": lines or [], "notices": notices or [], "is_emsd": actor.role == "emsd",
        "page_title": trials.title_of(view.trial, language),
        "csv_example": example_file(view.trial.get("kpis", []), view.trial.get("actual_start")),
        "max_kb": MAX_BYTES // 1024}, status=status,
        headers={"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else None)


@router.get("/{lang:lang}/my/trials/{trial_id}")
async def trial(request: Request, language: LanguageDep, upstream: UpstreamDep,
                actor: WorkerDep, trial_id: str) -> Response:
    """A trial in the workspace."""
    return await trial_page(request, language, upstream, actor, trial_id)


async def post_action(request: Request, language: Language, upstream: UpstreamDep, actor: Actor,
                      trial_id: str, action: str, fields: tuple[str, ...],
                      body_of: Callable[[dict[str, Any]], dict[str, Any]], done: str) -> Response:
    """An action's form to the trials API: back to the trial with a notice, or its objections."""
    typed = fields_of(await checked_form(request), fields)
    try:
        answer = await trials.act(upstream, language.tag, api_token(request, actor), trial_id,
                                  action, body_of(typed))
    except Rejected as exc:
        problems = problems_of(exc, lambda name: name if name in fields else None,
                               separator_of(language.tag))
        return await trial_page(request, language, upstream, actor, trial_id, typed=typed,
                                problems=problems, status=exc.status)
    except ServiceDown:
        return await trial_page(request, language, upstream, actor, trial_id, typed=typed,
                                notices=[down_notice(language)], status=503)
    number = f"&n={answer['version']}" if done == "corrected" else ""
    return RedirectResponse(f"/{language.path}/my/trials/{trial_id}?done={done}{number}",
                            status_code=303)


ACTIONS = {  # path: (the API's action, the form's fields, notice)
    "start": ("start", (), "started"),
    "complete": ("complete", ("summary",), "completed"),
    "terminate": ("terminate", ("reason",), "terminated"),
    "report/corrections": ("report/corrections", ("reason", "summary"), "corrected"),
}


def _emsd_action(path: str) -> None:
    action, fields, done = ACTIONS[path]

    async def handler(request: Request, language: LanguageDep, upstream: UpstreamDep,
                      actor: EmsdDep, trial_id: str) -> Response:
        """An action of EMSD's on the trial."""
        return await post_action(request, language, upstream, actor, trial_id, action, fields,
                                 lambda typed: dict(typed), done)

    router.add_api_route(f"/{{lang:lang}}/my/trials/{{trial_id}}/{path}", handler,
                         methods=["POST"], name=f"my_trials_{done}")


for _path in ACTIONS:
    _emsd_action(_path)


@router.post("/{lang:lang}/my/trials/{trial_id}/measurements")
async def record(request: Request, language: LanguageDep, upstream: UpstreamDep,
                 actor: WorkerDep, trial_id: str) -> Response:
    """One reading (EMSD, or the trial's provider)."""
    return await post_action(request, language, upstream, actor, trial_id, "measurements",
                             ("kpi", "value", "measured_at"), measurement_body, "recorded")


@router.post("/{lang:lang}/my/trials/{trial_id}/measurements/csv")
async def upload(request: Request, language: LanguageDep, upstream: UpstreamDep,
                 actor: WorkerDep, trial_id: str) -> Response:
    """A CSV file of readings: all stored, or none and each bad row named by its line."""
    form = await checked_form(request)
    file = form.get("file")
    data = await file.read(MAX_BYTES + 1) if isinstance(file, UploadFile) else b""
    if not data and not (isinstance(file, UploadFile) and file.filename):
        problems = Problems({"file": translate("my_trials.csv.choose", language)})
        return await trial_page(request, language, upstream, actor, trial_id, problems=problems,
                                status=422)
    parsed = parse_measurements(data)
    if not parsed.ok:
        lines = [(p.line, "", p.problem) for p in parsed.problems]
        return await trial_page(request, language, upstream, actor, trial_id, lines=lines,
                                problems=trials.csv_summary(lines, language), status=422)
    try:
        items = [r.item() for r in parsed.readings]
        answer = await trials.act(upstream, language.tag, api_token(request, actor), trial_id,
                                  "measurements/batch", {"items": items})
    except Rejected as exc:
        if exc.status != 422:  # not the rows: the trial's state, say
            problems = problems_of(exc, lambda name: None, separator_of(language.tag))
            return await trial_page(request, language, upstream, actor, trial_id,
                                    problems=problems, status=exc.status)
        lines = batch_lines(exc.errors, parsed.readings)
        return await trial_page(request, language, upstream, actor, trial_id, lines=lines,
                                problems=trials.csv_summary(lines, language), status=422)
    except ServiceDown:
        return await trial_page(request, language, upstream, actor, trial_id,
                                notices=[down_notice(language)], status=503)
    return RedirectResponse(f"/{language.path}/my/trials/{trial_id}?done=uploaded"
                            f"&n={answer.get('total', len(parsed.readings))}", status_code=303)
