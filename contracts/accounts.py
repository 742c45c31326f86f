"""Account events: a one-time sign-in link was issued, for the notifier to email."""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from contracts.envelope import Event
from contracts.subjects import Subjects


class SignInLinkIssued(Event):
    """The portal issued a one-time link to sign in (or to finish registering, or an invitation).

    The link is a credential for 15 minutes and one use: the notifier emails it to `email` and
    nothing else reads it.
    """

    SUBJECT: ClassVar[str] = Subjects.SIGN_IN_LINK_ISSUED
    email: str = Field(description="Where the link goes.", examples=["chan@archsd.gov.hk"])
    language: Literal["en", "zh-HK"] = Field("en", description="Language of the email.")
    purpose: Literal["sign_in", "register", "invite"] = Field(
        description="sign_in: an account asked to sign in; register: a provider registering; "
        "invite: an EMSD administrator invited this person.")
    link_url: str = Field(description="The one-time link (the portal's page that redeems it).")
    expires_at: datetime = Field(description="When the link stops working (UTC).")
    org: str = Field(description="The account's organisation.", examples=["ArchSD"])
    role: Literal["department", "provider", "emsd"] = Field(description="The account's role.")
    invited_by: str | None = Field(None, description="Who invited them (invitations only).")
