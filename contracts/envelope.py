"""The envelope every event shares: event_id, occurred_at, schema_version."""

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer, model_validator

from contracts.upcasting import upcast


def new_event_id() -> str:
    """A fresh, globally unique event id."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


class Event(BaseModel):
    """Base of all events: frozen, past tense, versioned; unknown fields are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    SUBJECT: ClassVar[str] = ""
    SCHEMA_VERSION: ClassVar[int] = 1

    event_id: str = Field(
        default_factory=new_event_id,
        min_length=1,
        max_length=64,
        description="Unique id of this event; also sent as the Nats-Msg-Id header.",
        examples=["0b7e1c52-4d8f-4a57-9f55-3c1f0f4f6a10"],
    )
    occurred_at: AwareDatetime = Field(
        default_factory=utcnow,
        description="When the fact happened, ISO 8601 in UTC.",
        examples=["2026-11-21T09:30:00Z"],
    )
    schema_version: int = Field(
        default=1, ge=1, description="Version of this event's schema.", examples=[1]
    )

    @model_validator(mode="before")
    @classmethod
    def _upcast(cls, data: Any) -> Any:
        # Older payloads are brought up to this schema before validation, so handlers only
        # ever see the current shape.
        if isinstance(data, dict) and cls.SUBJECT:
            if "schema_version" not in data and "event_id" in data:
                # A payload from the wire without a version predates versioning: it is v1.
                data = {**data, "schema_version": 1}
            data = upcast(cls.__name__, data, cls.SCHEMA_VERSION)
            data.setdefault("schema_version", cls.SCHEMA_VERSION)
        return data

    @field_serializer("occurred_at")
    def _utc(self, value: datetime) -> str:
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    @model_validator(mode="after")
    def _current_version(self) -> "Event":
        if self.schema_version != self.SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {self.schema_version} is not {self.SCHEMA_VERSION} "
                f"and no upcaster brings it there"
            )
        return self
