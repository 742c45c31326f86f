"""The administrators' accounts pages: /{lang}/my/accounts lists every account, invites
department and EMSD staff, and withdraws an account (its sessions end at once).

Accounts live in the portal's own database, so these pages call its use cases directly, each
change in one unit of work (services.portal.api.database); after a change the page comes back (Post/Redirect/Get) with `invited=<id>` or
`withdrawn=<id>`, and the notice reads that account as it now stands.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError

from contracts import utcnow
from innoportal.fields import is_record_id
from services.portal.api.database import reading, writing
from services.portal.api.forms import checked_form, csrf_token, text_fields
from services.portal.api.session import AdminDep, RoleRefused
from services.portal.api.web import LanguageDep, query_of, render
from services.portal.domain.accounts import INVITED_ROLES, Actor, check_org, normalise_email
from services.portal.domain.language import Language, by_tag
from services.portal.domain.queries import Problem
from services.portal.service.accounts import (
    AccountsError,
    NotAllowed,
    invite_account,
    list_accounts,
    withdraw_account,
)

router = APIRouter(include_in_schema=False)
TEMPLATE = "my/accounts/list.html"
FIELDS = ("email", "org", "role", "admin", "language")
LANGUAGES = ("en", "zh-HK")
# The sign-in pages' words speak to the person themselves; here an administrator types for another.
FOR_ANOTHER = {"account.email_required": "my.accounts.email_required",
               "account.org_required": "my.accounts.org_required"}
# What an AccountsError about withdrawing answers with.
WITHDRAW_STATUS = {"account.unknown": 404, "account.not_yourself": 409,
                   "my.accounts.already_withdrawn": 409}


async def accounts_page(request: Request, language: Language, actor: Actor, *,
                        typed: dict[str, str] | None = None,
                        problems: dict[str, Problem] | None = None,
                        refused: str = "", status: int = 200) -> Response:
    """Every account, the invitation form (as typed, with its problems) and any notice."""
    csrf_token(request)
    query = query_of(request)
    async with reading(request) as session:
        accounts = await list_accounts(session)
    notice = None
    for kind in ("invited", "withdrawn"):
        account_id = query.get(kind, "")
        if not refused and not problems and is_record_id(account_id):
            found = next((account for account in accounts if account.id == account_id), None)
            if found is not None:
                notice = {"kind": kind, "account": found}
                break
    return render(request, language, TEMPLATE, {
        "accounts": accounts, "me": actor.account_id, "notice": notice, "refused": refused,
        "typed": typed or {"language": language.tag}, "problems": problems or {},
    }, status=status)


@router.get("/{lang:lang}/my/accounts")
async def accounts(request: Request, language: LanguageDep, actor: AdminDep) -> Response:
    """Every account, and the form to invite one."""
    return await accounts_page(request, language, actor)


def check_invitation(typed: dict[str, str]) -> tuple[dict[str, Any], dict[str, Problem]]:
    """The invitation form's values as invite_account takes them, and the problems beside fields."""
    problems: dict[str, Problem] = {}
    email, problem = normalise_email(typed.get("email", ""))
    if problem:
        problems["email"] = Problem(FOR_ANOTHER.get(problem.key, problem.key), problem.values)
    org, problem = check_org(typed.get("org", ""))
    if problem:
        problems["org"] = Problem(FOR_ANOTHER.get(problem.key, problem.key), problem.values)
    role = typed.get("role", "")
    if role not in INVITED_ROLES:
        problems["role"] = Problem("my.accounts.role_required")
    admin = typed.get("admin") == "yes"
    if admin and role == "department":
        problems["admin"] = Problem("my.accounts.admin_emsd_only")
    tag = typed.get("language", "")
    if tag not in LANGUAGES:
        problems["language"] = Problem("my.accounts.language_required")
    values = {"email": email, "org": org, "role": role, "admin": admin, "language": by_tag(tag)}
    return values, problems


@router.post("/{lang:lang}/my/accounts")
async def invite(request: Request, language: LanguageDep, actor: AdminDep) -> Response:
    """Invite department or EMSD staff: the account, and a link the notifier emails them."""
    typed = text_fields(await checked_form(request), FIELDS)
    values, problems = check_invitation(typed)
    if problems:
        return await accounts_page(request, language, actor, typed=typed, problems=problems,
                                   status=422)
    portal_url = request.app.state.runtime.common.portal_url
    try:
        async with writing(request) as uow:
            account = await invite_account(uow, actor, **values, now=utcnow(),
                                           portal_url=portal_url)
            account_id = account.id
    except AccountsError as exc:
        return await accounts_page(request, language, actor, typed=typed,
                                   problems={exc.field: Problem(exc.key)}, status=422)
    except IntegrityError:  # invited by another administrator at the same moment
        return await accounts_page(request, language, actor, typed=typed,
                                   problems={"email": Problem("account.exists")}, status=422)
    except NotAllowed:
        raise RoleRefused() from None
    return RedirectResponse(f"/{language.path}/my/accounts?invited={account_id}", 303)


@router.post("/{lang:lang}/my/accounts/{account_id}/withdraw")
async def withdraw(request: Request, language: LanguageDep, actor: AdminDep,
                   account_id: str) -> Response:
    """Withdraw an account: it is signed out everywhere at once and can no longer sign in."""
    await checked_form(request)
    try:
        if not is_record_id(account_id):
            raise AccountsError("account.unknown", "account")
        async with writing(request) as uow:
            await withdraw_account(uow, actor, account_id, now=utcnow())
    except AccountsError as exc:
        return await accounts_page(request, language, actor, refused=exc.key,
                                   status=WITHDRAW_STATUS.get(exc.key, 400))
    except NotAllowed:
        raise RoleRefused() from None
    return RedirectResponse(f"/{language.path}/my/accounts?withdrawn={account_id}", 303)


@router.get("/{lang:lang}/my/accounts/{account_id}/withdraw")
async def back_to_accounts(language: LanguageDep, actor: AdminDep, account_id: str) -> Response:
    """The withdraw address opened by GET (the language switch of a page with a problem)."""
    return RedirectResponse(f"/{language.path}/my/accounts", 303)
