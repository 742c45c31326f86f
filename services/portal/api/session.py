"""Who is signed in: the session cookie, the signed-in person as a dependency, and the bearer
token the portal presents to the services on their behalf."""

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from contracts import utcnow
from innoportal.auth import issue_token
from services.portal.api.database import reading
from services.portal.api.forms import is_https
from services.portal.api.web import language_of
from services.portal.domain.accounts import API_TOKEN_TTL, SESSION_TTL, Actor
from services.portal.service.accounts import signed_in

COOKIE = "session"


async def current_actor(request: Request) -> Actor | None:
    """The signed-in person, or None (a missing, ended or withdrawn session)."""
    if hasattr(request.state, "actor"):
        return request.state.actor
    secret = request.cookies.get(COOKIE)
    actor = None
    if secret:
        async with reading(request) as session:
            actor = await signed_in(session, secret, now=utcnow())
    request.state.actor = actor
    return actor


class SignInNeeded(HTTPException):
    """The page is for signed-in people: go to the sign-in page, then come back."""

    def __init__(self, lang: str, back: str) -> None:
        super().__init__(303, "sign-in: needed", headers={"Location": f"/{lang}/sign-in?next={back}"})


class RoleRefused(HTTPException):
    """The signed-in person's role may not do this."""

    def __init__(self) -> None:
        super().__init__(403, "role: may not do this")


def signed_in_as(*roles: str, admin: bool = False):
    """A dependency: the signed-in person with one of `roles` (an EMSD administrator if `admin`)."""

    async def dependency(request: Request, lang: str) -> Actor:
        language = language_of(lang)
        actor = await current_actor(request)
        if actor is None:
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInNeeded(language.path, quote(back, safe=""))
        if actor.role not in roles or (admin and not actor.is_emsd_admin):
            raise RoleRefused()
        return actor

    return dependency


AnyoneDep = Annotated[Actor, Depends(signed_in_as("department", "provider", "emsd"))]
DepartmentDep = Annotated[Actor, Depends(signed_in_as("department"))]
ProviderDep = Annotated[Actor, Depends(signed_in_as("provider"))]
EmsdDep = Annotated[Actor, Depends(signed_in_as("emsd"))]
AdminDep = Annotated[Actor, Depends(signed_in_as("emsd", admin=True))]


def api_token(request: Request, actor: Actor) -> str:
    """A short-lived bearer token for one call to a service, in the person's role and organisation."""
    return issue_token(request.app.state.secret_key, role=actor.role, org=actor.org,
                       ttl=API_TOKEN_TTL)


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure behind https, as long as the session."""
    response.set_cookie(COOKIE, secret, max_age=int(SESSION_TTL.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=is_https(request))


def clear_session_cookie(request: Request, response: Response) -> None:
    """Forget the session cookie."""
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
