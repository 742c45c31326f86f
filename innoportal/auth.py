"""Bearer tokens: signed (HS256) with INNOPORTAL_SECRET_KEY, carrying role and organisation.

Write endpoints require a token of a role; public reads take one optionally (it shows the caller
what only it may see, such as a record's contact email). Both declare the OpenAPI bearer scheme
through FastAPI's HTTPBearer (so /docs can send a token), and check the header themselves so
every 401 says what is wrong.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Literal, get_args

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contracts import utcnow
from innoportal.fields import printable_line

Role = Literal["department", "provider", "emsd"]
ROLES: tuple[str, ...] = get_args(Role)
ISSUER = "innoportal"


class InvalidToken(Exception):
    """The token is missing, malformed, forged or expired."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role and the organisation the token was issued to."""

    role: str
    org: str
    token_id: str


def validate_org(org: str) -> str:
    """An organisation name: 1 to 100 printable characters."""
    org = org.strip()
    if not org or len(org) > 100:
        raise ValueError("org must be 1 to 100 printable characters")
    try:
        return printable_line(org)
    except ValueError:
        raise ValueError("org must be 1 to 100 printable characters") from None


def issue_token(secret: str, *, role: str, org: str, ttl: timedelta = timedelta(days=90)) -> str:
    """A signed bearer token for `role` at `org`."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    now = utcnow()
    claims = {
        "iss": ISSUER,
        "sub": validate_org(org),
        "role": role,
        "org": validate_org(org),
        "jti": uuid.uuid4().hex,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_token(secret: str, token: str) -> Principal:
    """The principal of a valid token; InvalidToken otherwise."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "role", "org"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    role, org = claims.get("role"), claims.get("org")
    try:
        org = validate_org(org) if isinstance(org, str) else ""
    except ValueError:
        org = ""
    if role not in ROLES or not org:
        raise InvalidToken("token carries no valid role and organisation")
    return Principal(role=role, org=org, token_id=str(claims.get("jti", "")))


BEARER_SCHEME = HTTPBearer(
    scheme_name="bearerAuth",
    bearerFormat="JWT",
    description="A token from `innoportal token issue --role {department|provider|emsd} "
    "--org NAME`. Writes need the role they name; reads take it optionally.",
    auto_error=False,  # our own checks answer, with our messages
)
# Declares the scheme in OpenAPI; the value is not used: the header is checked below.
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER_SCHEME)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=message,
        headers={"WWW-Authenticate": 'Bearer realm="innoportal"'},
    )


def principal_from_request(request: Request) -> Principal:
    """The caller's principal from `Authorization: Bearer`, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise _unauthorized("authorization: a bearer token is required")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("authorization: expected 'Bearer <token>'")
    secret = request.app.state.secret_key
    try:
        return decode_token(secret, token.strip())
    except InvalidToken as exc:
        raise _unauthorized(f"authorization: invalid token ({exc})") from exc


def require_role(*roles: str):
    """A FastAPI dependency: the principal, 401 without a valid token, 403 for another role."""

    async def dependency(request: Request, _bearer: BearerCredentials) -> Principal:
        principal = principal_from_request(request)
        if principal.role not in roles:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"role: '{principal.role}' may not do this; needs {' or '.join(roles)}",
            )
        return principal

    return dependency


async def optional_principal(request: Request, _bearer: BearerCredentials) -> Principal | None:
    """A FastAPI dependency: None without an Authorization header; else the principal, or 401.

    A token that is there but malformed, forged or expired is refused, never read as anonymous:
    the caller would silently see less than it asked for.
    """
    if not request.headers.get("authorization", "").strip():
        return None
    return principal_from_request(request)


DepartmentDep = Annotated[Principal, Depends(require_role("department"))]
ProviderDep = Annotated[Principal, Depends(require_role("provider"))]
EmsdDep = Annotated[Principal, Depends(require_role("emsd"))]
AnyRoleDep = Annotated[Principal, Depends(require_role(*ROLES))]
ViewerDep = Annotated[Principal | None, Depends(optional_principal)]
"""Who reads: anonymous (None) or the holder of a valid token of any role."""
