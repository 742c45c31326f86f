"""The portal's own tables: accounts, one-time links, browser sessions, sign-in requests.

The portal owns no business records; these say who may act as what, and the services' APIs stay
the one gate for what they may do.
"""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from contracts import utcnow
from innoportal.db import UTCDateTime


def new_account_id() -> str:
    """A fresh account id."""
    return "a-" + uuid.uuid4().hex[:20]


class Account(SQLModel, table=True):
    """A person who may sign in: their address, organisation, role and whether they still may."""

    __tablename__ = "accounts"

    id: str = Field(default_factory=new_account_id, primary_key=True, max_length=40)
    email: str = Field(max_length=254, unique=True, index=True)  # lower case
    org: str = Field(max_length=100)
    role: str = Field(max_length=20)
    admin: bool = False
    status: str = Field(default="invited", max_length=12)  # invited, active, withdrawn
    language: str = Field(default="en", max_length=5)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str = Field(max_length=254)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by: str | None = Field(default=None, max_length=254)


class SignInLink(SQLModel, table=True):
    """A one-time link sent by email; only its digest is kept."""

    __tablename__ = "sign_in_links"

    token_digest: str = Field(primary_key=True, max_length=64)
    email: str = Field(max_length=254, index=True)
    purpose: str = Field(max_length=10)  # sign_in, register, invite
    org: str = Field(max_length=100)  # a registering provider's organisation, else the account's
    language: str = Field(default="en", max_length=5)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BrowserSession(SQLModel, table=True):
    """A signed-in browser; the cookie holds the secret, the table its digest."""

    __tablename__ = "browser_sessions"

    id_digest: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(max_length=40, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SignInRequest(SQLModel, table=True):
    """One request for a link, kept to limit them per address and per client."""

    __tablename__ = "sign_in_requests"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


PORTAL_TABLES = [Account.__table__, SignInLink.__table__, BrowserSession.__table__,
                 SignInRequest.__table__]
