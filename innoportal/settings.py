"""Settings shared by every service (env prefix INNOPORTAL_), and the base for each service's own."""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from contracts.streams import (
    DUPLICATE_WINDOW_SECONDS,
    OUTBOX_MAX_BACKOFF_SECONDS,
    PARKED_MAX_AGE_DAYS,
)
from pydantic_settings import BaseSettings, SettingsConfigDict


MIN_SECRET_LENGTH = 16


class CommonSettings(BaseSettings):
    """Infrastructure every service reaches: NATS, SMTP, the signing secret, retry policy."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_", extra="ignore")

    nats_url: str = Field("nats://127.0.0.1:4250", description="NATS server(s), comma-separated.")
    stream_replicas: int = Field(
        0, ge=0, le=5, description="Replicas of the streams; 0 keeps what the server has."
    )
    smtp_url: str = Field("smtp://127.0.0.1:8025", description="smtp:// or smtps:// URL.")
    secret_key: str = Field("", description="Signs bearer tokens and links; from var/secret_key if unset.")
    data_dir: Path = Field(Path("var"), description="Where SQLite files and local state live.")
    portal_url: str = Field(
        "http://127.0.0.1:8100",
        description="Public URL of the portal: every link in an email and feed opens a page there.",
    )
    mail_from: str = Field(
        "InnoPortal <no-reply@innoportal.localhost>", description="From: of every email."
    )
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = Field(
        "auto", description="json, console, or auto: JSON lines unless writing to a terminal."
    )
    otlp_endpoint: str = Field(
        "", description="OTLP/HTTP collector (http://host:4318): traces are exported there; "
        "unset, nothing is traced."
    )
    # Consumer policy: a failed message is redelivered after retry_base_delay * 2^(n-1) seconds
    # (capped), and parked after max_attempts deliveries.
    max_attempts: int = Field(5, ge=1, le=100)
    retry_base_delay: float = Field(1.0, gt=0)
    retry_max_delay: float = Field(60.0, gt=0)
    handler_timeout: float = Field(25.0, gt=0, description="A handler running longer has failed.")
    ack_wait: float = Field(30.0, gt=0)
    # Outbox relay.
    outbox_batch: int = Field(256, ge=1, le=10000)
    outbox_poll_interval: float = Field(0.5, gt=0)
    # Bounded well inside the stream's duplicate window, so a retried publish is deduplicated.
    outbox_max_backoff: float = Field(
        OUTBOX_MAX_BACKOFF_SECONDS, gt=0, le=DUPLICATE_WINDOW_SECONDS / 4
    )
    outbox_keep_published_hours: float = Field(24.0, ge=0)
    # Schema: migrated at start unless a deployment runs `innoportal migrate` as its own step.
    migrate: bool = Field(True, description="Apply the schema migrations at start (0: only check).")
    # Retention (innoportal/retention.py): old rows go in small batches, every interval. A
    # processed event must outlive any redelivery or republish still to be expected (after an
    # outage of days), far beyond the stream's one-hour duplicate window.
    processed_events_keep_days: float = Field(14.0, ge=1)
    parked_keep_days: float = Field(PARKED_MAX_AGE_DAYS, gt=0, description="Parked stream max_age.")
    retention_interval_seconds: float = Field(3600.0, gt=0)
    retention_batch: int = Field(500, ge=1, le=50_000)
    parked_refresh_seconds: float = Field(15.0, gt=0, description="Parked-messages gauge refresh.")

    def resolved_secret(self) -> str:
        """The signing secret: the env var, else var/secret_key (created once, 0600)."""
        if self.secret_key:
            if len(self.secret_key) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"INNOPORTAL_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters"
                )
            return self.secret_key
        path = self.data_dir / "secret_key"
        secret = path.read_text().strip() if path.exists() else ""
        if len(secret) < MIN_SECRET_LENGTH:
            # Written whole under a temporary name, then renamed: never an empty key file.
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".secret_key.{os.getpid()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
            os.replace(tmp, path)
            secret = path.read_text().strip()
        return secret


class ServiceSettings(BaseSettings):
    """Per-service settings; each service subclasses this with its own env prefix."""

    model_config = SettingsConfigDict(env_prefix="INNOPORTAL_SERVICE_", extra="ignore")

    name: str = "service"
    host: str = "127.0.0.1"
    port: int = 8100
    database_url: str = ""
    max_body_bytes: int = Field(64 * 1024, ge=1024)

    def database_url_or_default(self, common: CommonSettings) -> str:
        """The configured database URL, else a SQLite file under the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{common.data_dir / (self.name + '.db')}"


@lru_cache
def common_settings() -> CommonSettings:
    """The process-wide common settings (read from the environment once)."""
    return CommonSettings()
