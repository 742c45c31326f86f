"""Forms: a CSRF token on every one, checked on every POST, and the fields read as the API names them.

The token is the HMAC of a random per-browser cookie (signed double submit): a page from another
site can make a browser send the cookie, but cannot read it to compute the token.
"""

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

COOKIE = "csrf"
FIELD = "csrf_token"
PURPOSE = b"innoportal-portal-csrf:"


def _sign(secret: str, cookie: str, bound_to: str = "") -> str:
    message = PURPOSE + cookie.encode() + b":" + bound_to.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _cookie_ok(value: str | None) -> bool:
    return bool(value) and 20 <= len(value) <= 100 and value.isascii()


def is_https(request: Request) -> bool:
    """Whether the reader reached us over https (directly, or through a proxy that says so)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def csrf_token(request: Request, bound_to: str = "") -> str:
    """The token this page's forms carry; a first visit also gets the cookie it is made from."""
    cookie = request.cookies.get(COOKIE)
    if not _cookie_ok(cookie):
        cookie = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = cookie
    token = _sign(request.app.state.secret_key, cookie, bound_to)
    request.state.csrf_token = token
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Send the cookie made for this page, if one was made."""
    cookie = getattr(request.state, "new_csrf_cookie", None)
    if cookie:
        response.set_cookie(COOKIE, cookie, path="/", httponly=True, samesite="lax",
                            secure=is_https(request))


class CsrfRejected(HTTPException):
    """A form arrived without the token of the page that showed it."""

    def __init__(self) -> None:
        super().__init__(403, "csrf_token: missing or not valid")


async def checked_form(request: Request, bound_to: str = "") -> FormData:
    """The POSTed form, once its CSRF token is proven; CsrfRejected (403) otherwise."""
    form = await request.form()
    sent = form.get(FIELD)
    cookie = request.cookies.get(COOKIE)
    if not isinstance(sent, str) or not _cookie_ok(cookie):
        raise CsrfRejected()
    expected = _sign(request.app.state.secret_key, cookie, bound_to)
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRejected()
    # The same page may be shown again (with errors): it keeps the same token.
    request.state.csrf_token = expected
    return form


def text_fields(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The one-value fields of a form, as typed (absent ones left out)."""
    out: dict[str, str] = {}
    for name in names:
        value = form.get(name)
        if isinstance(value, str):
            out[name] = value
    return out


def list_field(form: FormData, name: str) -> list[str]:
    """Every value of a repeated field (ticked boxes), as typed."""
    return [v for v in form.getlist(name) if isinstance(v, str)]


def fields_of(form: FormData, singles: tuple[str, ...], lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """A form's fields by the API's names: one value each, and lists for repeated fields."""
    return {**text_fields(form, singles), **{name: list_field(form, name) for name in lists}}
