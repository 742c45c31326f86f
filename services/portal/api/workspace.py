"""The signed-in workspace's front page: what each role can do from here."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.api.session import AnyoneDep
from services.portal.api.web import LanguageDep, render

router = APIRouter(include_in_schema=False)

# (text key, path under /{lang}/my/) of each role's work; EMSD administrators also manage accounts.
TASKS = {
    "department": (("my.department.wishes", "wishes"), ("my.department.new_wish", "wishes/new")),
    "provider": (("my.provider.solutions", "solutions"), ("my.provider.new_solution", "solutions/new"),
                 ("my.provider.trials", "trials")),
    "emsd": (("my.emsd.matches", "matches"), ("my.emsd.venues", "venues"),
             ("my.emsd.trials", "trials")),
}
ADMIN_TASKS = (("my.admin.accounts", "accounts"),)


@router.get("/{lang:lang}/my/")
async def workspace(request: Request, language: LanguageDep, actor: AnyoneDep) -> Response:
    """The workspace of the signed-in person's role."""
    tasks = TASKS[actor.role] + (ADMIN_TASKS if actor.is_emsd_admin else ())
    return render(request, language, "my/index.html", {"tasks": tasks})


@router.get("/{lang:lang}/my")
async def workspace_slash(request: Request, language: LanguageDep, actor: AnyoneDep) -> Response:
    """`/en/my` is `/en/my/`."""
    return await workspace(request, language, actor)
