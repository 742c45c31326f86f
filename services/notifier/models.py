"""The notifier's tables: subscriptions and their index, items, digests, email outbox, suppression."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from contracts import utcnow
from innoportal.db import UTCDateTime


class Subscription(SQLModel, table=True):
    """A subscriber's rules: pending until confirmed, then confirmed, unsubscribed or replaced."""

    __tablename__ = "subscription"
    __table_args__ = (Index("ix_subscription_reports", "receive_reports", "status", "id"),)

    id: str = Field(primary_key=True, max_length=40)
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=254, index=True)
    language: str = Field(max_length=8)
    frequency: str = Field(max_length=8)
    receive_reports: bool = False
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SubscriptionCategory(SQLModel, table=True):
    """Index: which subscriptions follow a category."""

    __tablename__ = "subscription_category"
    __table_args__ = (Index("ix_subscription_category_sub", "subscription_id"),)

    category: str = Field(primary_key=True, max_length=40)
    subscription_id: str = Field(primary_key=True, max_length=40, foreign_key="subscription.id")


class SubscriptionTerm(SQLModel, table=True):
    """Index: a keyword's anchor term (an English stem or a Chinese character pair)."""

    __tablename__ = "subscription_term"
    __table_args__ = (Index("ix_subscription_term_sub", "subscription_id"),)

    term: str = Field(primary_key=True, max_length=80)
    subscription_id: str = Field(primary_key=True, max_length=40, foreign_key="subscription.id")
    keyword: str = Field(primary_key=True, max_length=80)
    units: str = Field(max_length=400)  # the keyword's units, space-separated, for the re-check


class NotificationItem(SQLModel, table=True):
    """What an email is about (a wish, a match, a trial), stored once for all its recipients."""

    __tablename__ = "notification_item"

    key: str = Field(primary_key=True, max_length=120)
    kind: str = Field(max_length=20)
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # a closed wish: no more alerts


class FanoutJob(SQLModel, table=True):
    """A fan-out to subscribers under way: queued with the event's claim, done in chunks.

    Each chunk queues the emails of the next subscriptions (by id, after `cursor`) and moves the
    cursor in one transaction, so a crash resumes where the last commit left off.
    """

    __tablename__ = "fanout_job"
    __table_args__ = (Index("ix_fanout_job_open", "done_at", "created_at"),)

    key: str = Field(primary_key=True, max_length=160)  # the item (and email ref) it fans out
    kind: str = Field(max_length=20)  # wish_alert, trial_completed, trial_terminated
    item_key: str = Field(max_length=120)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    cursor: str = Field(default="", max_length=40)
    emails: int = 0
    digest_entries: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DigestEntry(SQLModel, table=True):
    """An item waiting for a daily or weekly subscriber's next digest."""

    __tablename__ = "digest_entry"
    __table_args__ = (
        Index(
            "ix_digest_entry_open", "subscription_id", "created_at",
            sqlite_where=text("digest_ref IS NULL"),
            postgresql_where=text("digest_ref IS NULL"),
        ),
    )

    subscription_id: str = Field(primary_key=True, max_length=40)
    item_key: str = Field(primary_key=True, max_length=120)
    reasons: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    digest_ref: str | None = Field(default=None, max_length=60)


class EmailOutbox(SQLModel, table=True):
    """One email to one recipient, unique by (recipient, ref, kind); also its delivery log."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        UniqueConstraint("recipient_key", "ref", "kind", name="uq_email_outbox_key"),
        Index("ix_email_outbox_due", "state", "next_attempt_at"),
        Index("ix_email_outbox_sub", "subscription_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=254)
    recipient_key: str = Field(max_length=254)
    ref: str = Field(max_length=160)  # what it is about: item key, event id or digest period
    kind: str = Field(max_length=20)
    language: str = Field(max_length=8)
    subscription_id: str | None = Field(default=None, max_length=40)
    item_key: str | None = Field(default=None, max_length=120)
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message_id: str = Field(max_length=200)
    state: str = Field(default="pending", max_length=12)  # pending sending sent failed suppressed
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claim: str | None = Field(default=None, max_length=40)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EmailSuppression(SQLModel, table=True):
    """An address nothing more is sent to: hard bounce or unsubscribed contact."""

    __tablename__ = "email_suppression"

    email_key: str = Field(primary_key=True, max_length=254)
    reason: str = Field(max_length=20)
    detail: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


NOTIFIER_TABLES = [
    Subscription.__table__,
    SubscriptionCategory.__table__,
    SubscriptionTerm.__table__,
    NotificationItem.__table__,
    FanoutJob.__table__,
    DigestEntry.__table__,
    EmailOutbox.__table__,
    EmailSuppression.__table__,
]
