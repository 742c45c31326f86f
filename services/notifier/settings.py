"""Notifier service settings (env prefix INNOPORTAL_NOTIFIER_).

Links in emails open pages of the portal at INNOPORTAL_PORTAL_URL, the sender address comes
from INNOPORTAL_MAIL_FROM and the SMTP server from INNOPORTAL_SMTP_URL (CommonSettings).
"""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from innoportal.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    """Where the notifier listens and stores, how it sends and when digests go out."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_NOTIFIER_", extra="ignore")

    name: str = "notifier"
    port: int = 8104

    # Digests: the period that ended at midnight (Hong Kong time) goes out at this hour;
    # weekly digests on Monday at the same hour.
    digest_hour: int = Field(8, ge=0, le=23, description="Hour (HKT) digests are sent.")
    digest_check_seconds: float = Field(60.0, gt=0, description="How often digests are looked for.")
    unconfirmed_ttl_hours: float = Field(
        72.0, gt=0, description="Unconfirmed subscriptions are deleted after this (links expire at 48 h)."
    )

    # Fan-out: recipients are queued in chunks, each its own transaction, so a large fan-out
    # never holds the database for long.
    fanout_chunk: int = Field(500, ge=1, le=50_000, description="Subscriptions per fan-out chunk.")

    # Sending.
    smtp_pool: int = Field(0, ge=0, le=64, description="SMTP connections (0: ?pool= of the URL, else 4).")
    send_batch: int = Field(200, ge=1, le=5000, description="Emails claimed per round.")
    send_lease_seconds: float = Field(
        600.0, gt=0, description="A 'sending' claim older than this belongs to a dead sender."
    )
    send_max_attempts: int = Field(8, ge=1, le=50, description="Attempts of a transient failure.")
    send_retry_base_seconds: float = Field(30.0, gt=0, description="First retry delay.")
    send_retry_max_seconds: float = Field(3600.0, gt=0, description="Longest retry delay.")
    send_poll_seconds: float = Field(2.0, gt=0, description="Idle sender checks this often.")
    metrics_refresh_seconds: float = Field(15.0, gt=0, description="Email state gauges refresh.")

    # Retention: the delivery log (email outbox) keeps settled emails this long, for support
    # questions; pending and sending ones stay until settled.
    email_keep_days: float = Field(30.0, ge=1, description="Days settled emails are kept.")
