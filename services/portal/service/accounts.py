"""Signing in by a one-time emailed link, registering, inviting and withdrawing accounts.

Each use case that writes runs in a unit of work it never commits (innoportal.uow): a link and the
SignInLinkIssued that has it emailed are staged together, so they commit together or not at all.
The reads (who a session cookie is, the accounts list) take a session.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import SignInLinkIssued
from innoportal.uow import UnitOfWork
from services.portal.domain.accounts import (
    LINK_TTL,
    PER_ADDRESS,
    PER_CLIENT,
    SESSION_TTL,
    Actor,
    Limit,
    digest,
    link_problem,
    new_secret,
    retry_after,
)
from services.portal.domain.language import Language
from services.portal.models import Account, BrowserSession, SignInLink, SignInRequest
from services.portal.repository.accounts import AccountsRepository


class AccountsError(Exception):
    """A use case that cannot go ahead; `key` says why in the reader's words."""

    def __init__(self, key: str, field: str = "email") -> None:
        self.key, self.field = key, field
        super().__init__(key)


class RateLimited(Exception):
    """Too many links asked for; try again after `retry_after` seconds."""

    def __init__(self, seconds: int) -> None:
        self.retry_after = seconds
        super().__init__(f"retry after {seconds}s")


class NotAllowed(Exception):
    """The signed-in person's role does not allow this."""


@dataclass(frozen=True)
class SignedIn:
    """A new browser session: the cookie's secret and who it is."""

    secret: str
    actor: Actor


def actor_of(account: Account) -> Actor:
    """The portal's view of an account."""
    return Actor(account.id, account.email, account.org, account.role, account.admin,
                 account.language)


def _issue(uow: UnitOfWork, *, email: str, purpose: str, org: str, role: str,
           language: Language, now: datetime, portal_url: str, invited_by: str | None = None,
           next_path: str = "") -> None:
    token = new_secret()
    expires = now + LINK_TTL
    AccountsRepository(uow.session).add(SignInLink(
        token_digest=digest(token), email=email, purpose=purpose, org=org, language=language.tag,
        created_at=now, expires_at=expires))
    url = f"{portal_url.rstrip('/')}/{language.path}/sign-in/link?token={quote(token)}"
    if next_path:  # where they were going when asked to sign in
        url += f"&next={quote(next_path, safe='')}"
    uow.stage(SignInLinkIssued(email=email, language=language.tag, purpose=purpose, link_url=url,
                               expires_at=expires, org=org, role=role, invited_by=invited_by))


async def request_link(uow: UnitOfWork, *, email: str, client: str, language: Language,
                       now: datetime, portal_url: str, register_org: str | None = None,
                       next_path: str = "", limits: tuple[Limit, Limit] = (PER_ADDRESS, PER_CLIENT),
                       ) -> None:
    """Email a sign-in link to an account's address (or, with `register_org`, a provider's
    registration link). Whether an account exists is never told; RateLimited when asked too often."""
    repo = AccountsRepository(uow.session)
    per_address, per_client = limits
    by_address, by_client = await repo.request_times(
        email=email, client=client, since=now - max(per_address.window, per_client.window))
    wait = retry_after(by_address, now, per_address) or retry_after(by_client, now, per_client)
    if wait:
        raise RateLimited(wait)
    repo.add(SignInRequest(email=email, client=client[:64], at=now))
    account = await repo.by_email(email)
    if account is not None and account.status != "withdrawn":
        _issue(uow, email=email, purpose="sign_in", org=account.org, role=account.role,
               language=language, now=now, portal_url=portal_url, next_path=next_path)
    elif account is None and register_org:
        _issue(uow, email=email, purpose="register", org=register_org, role="provider",
               language=language, now=now, portal_url=portal_url)


async def redeem_link(uow: UnitOfWork, token: str, *, now: datetime) -> SignedIn:
    """Use a one-time link: the account (created for a registration) and a new browser session."""
    repo = AccountsRepository(uow.session)
    link = await repo.link(digest(token)) if token else None
    if link is None:
        raise AccountsError("account.link_unknown", "token")
    problem = link_problem(expires_at=link.expires_at, used_at=link.used_at, now=now)
    if problem or not await repo.use_link(link.token_digest, now):
        raise AccountsError(problem or "account.link_used", "token")
    account = await repo.by_email(link.email)
    if account is None and link.purpose == "register":
        account = Account(email=link.email, org=link.org, role="provider", status="active",
                          language=link.language, created_at=now, created_by="self")
        repo.add(account)
    if account is None or account.status == "withdrawn":
        raise AccountsError("account.withdrawn", "token")
    account.status = "active"
    secret = new_secret()
    repo.add(account, BrowserSession(id_digest=digest(secret), account_id=account.id,
                                     created_at=now, expires_at=now + SESSION_TTL))
    return SignedIn(secret, actor_of(account))


async def signed_in(session: AsyncSession, secret: str | None, *, now: datetime) -> Actor | None:
    """Who a session cookie belongs to, while the session and the account are both alive."""
    if not secret or len(secret) > 100:
        return None
    found = await AccountsRepository(session).session_of(digest(secret))
    if found is None:
        return None
    browser, account = found
    if browser.ended_at is not None or now >= browser.expires_at or account.status != "active":
        return None
    return actor_of(account)


async def sign_out(uow: UnitOfWork, secret: str, *, now: datetime) -> None:
    """End this browser's session."""
    await AccountsRepository(uow.session).end_sessions(now=now, id_digest=digest(secret))


async def invite_account(uow: UnitOfWork, by: Actor, *, email: str, org: str, role: str,
                         admin: bool, language: Language, now: datetime, portal_url: str) -> Account:
    """An EMSD administrator invites department or EMSD staff; they get a sign-in link."""
    if not by.is_emsd_admin:
        raise NotAllowed("only an EMSD administrator may invite")
    repo = AccountsRepository(uow.session)
    if await repo.by_email(email) is not None:
        raise AccountsError("account.exists")
    account = Account(email=email, org=org, role=role, admin=admin and role == "emsd",
                      language=language.tag, created_at=now, created_by=by.email)
    repo.add(account)
    _issue(uow, email=email, purpose="invite", org=org, role=role, language=language,
           now=now, portal_url=portal_url, invited_by=by.org)
    return account


async def withdraw_account(uow: UnitOfWork, by: Actor, account_id: str, *,
                           now: datetime) -> Account:
    """An EMSD administrator withdraws an account: its sessions end at once (once only)."""
    if not by.is_emsd_admin:
        raise NotAllowed("only an EMSD administrator may withdraw an account")
    repo = AccountsRepository(uow.session)
    account = await repo.by_id(account_id)
    if account is None:
        raise AccountsError("account.unknown", "account")
    if account.status == "withdrawn":
        raise AccountsError("my.accounts.already_withdrawn", "account")
    if account.id == by.account_id:
        raise AccountsError("account.not_yourself", "account")
    account.status, account.withdrawn_at, account.withdrawn_by = "withdrawn", now, by.email
    repo.add(account)
    await repo.end_sessions(now=now, account_id=account.id)
    return account


async def add_admin(uow: UnitOfWork, email: str, *, org: str, now: datetime) -> Account:
    """Make `email` an active EMSD administrator (the first one is made at a shell)."""
    repo = AccountsRepository(uow.session)
    account = await repo.by_email(email) or Account(email=email, org=org, role="emsd",
                                                   created_at=now, created_by="cli")
    account.role, account.admin, account.status, account.org = "emsd", True, "active", org
    account.withdrawn_at = account.withdrawn_by = None
    repo.add(account)
    return account


async def list_accounts(session: AsyncSession) -> list[Account]:
    """Every account: active and invited first, then by organisation and address."""
    return await AccountsRepository(session).all()
