"""Event contracts: frozen, enveloped, documented, round-tripping as JSON, upcast from old versions."""

import inspect
import json
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, ClassVar

import pytest
from faststream.nats import StorageType
from pydantic import BaseModel, Field, ValidationError

import contracts
from contracts import (
    EVENT_TYPES,
    STREAM,
    STREAM_NAME,
    STREAM_SUBJECTS,
    Event,
    KpiResult,
    SignInLinkIssued,
    MatchDecided,
    Matched,
    MatchParty,
    MatchReason,
    SolutionRecord,
    SolutionSubmitted,
    Subjects,
    TrialCompleted,
    TrialParty,
    TrialStarted,
    TrialTerminated,
    WishClosed,
    WishPosted,
    WishRecord,
    event_type_for_subject,
    parse_event,
    register_upcaster,
)
from contracts.streams import OUTBOX_MAX_BACKOFF_SECONDS
from innoportal.relay import OutboxRelay
from innoportal.settings import CommonSettings

CREATED = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
WISH = WishRecord(
    id="w-3f9c2a1e8b7d4c60", title_en="Lift fault prediction", title_zh="升降機故障預測",
    description_zh="在乘客被困之前預測升降機故障。", categories=["building-services"],
    contact_email="lifts@emsd.gov.hk", owner_org="EMSD", budget_hkd=500_000,
    closes_on=date(2026, 12, 31), created_at=CREATED,
)
SOLUTION = SolutionRecord(
    id="s-91b2c3d4e5f60718", title_en="AI lift monitoring", description_en="Vibration analytics.",
    categories=["ai-data-analytics", "building-services"], contact_email="lab@hkust.edu.hk",
    owner_org="HKUST", trl=6, website="https://example.org/lift", created_at=CREATED,
)
WISH_SIDE = MatchParty(id=WISH.id, title_zh=WISH.title_zh, contact_email=WISH.contact_email,
                       owner_org="EMSD")
SOLUTION_SIDE = MatchParty(id=SOLUTION.id, title_en=SOLUTION.title_en,
                           contact_email=SOLUTION.contact_email, owner_org="HKUST")
PARTIES = [
    TrialParty(role="wish", id=WISH.id, contact_email=WISH.contact_email, owner_org="EMSD"),
    TrialParty(role="solution", id=SOLUTION.id, contact_email=SOLUTION.contact_email,
               owner_org="HKUST"),
]

# One realistic instance of every event type (a new event type must add one here).
SAMPLES: dict[type[Event], Event] = {
    WishPosted: WishPosted(wish=WISH),
    WishClosed: WishClosed(wish_id=WISH.id, owner_org="EMSD", reason="已找到方案"),
    SolutionSubmitted: SolutionSubmitted(solution=SOLUTION),
    Matched: Matched(
        match_id="m-5a4b3c2d1e0f9a8b", wish_id=WISH.id, solution_id=SOLUTION.id, score=0.82,
        reasons=[MatchReason(kind="glossary", value="升降機", language="zh", weight=0.4)],
        wish=WISH_SIDE, solution=SOLUTION_SIDE,
    ),
    MatchDecided: MatchDecided(
        match_id="m-5a4b3c2d1e0f9a8b", wish_id=WISH.id, solution_id=SOLUTION.id,
        decision="accepted", decided_by="EMSD", wish=WISH_SIDE, solution=SOLUTION_SIDE,
    ),
    TrialStarted: TrialStarted(
        trial_id="t-1", match_id="m-5a4b3c2d1e0f9a8b", venue_id="v-hq",
        planned_start=CREATED, planned_end=CREATED + timedelta(days=30), parties=PARTIES,
    ),
    TrialCompleted: TrialCompleted(
        trial_id="t-1", match_id="m-5a4b3c2d1e0f9a8b", verdict="passed",
        kpi_results=[KpiResult(name="Energy saved", unit="kWh/day", baseline=100, target=80,
                               direction="decrease", measured=75.5, met=True, count=3)],
        report_url="http://127.0.0.1:8105/v1/trials/t-1/report", parties=PARTIES,
    ),
    TrialTerminated: TrialTerminated(
        trial_id="t-1", match_id="m-5a4b3c2d1e0f9a8b", reason="場地不可用",
        from_state="running", parties=PARTIES,
    ),
    SignInLinkIssued: SignInLinkIssued(
        email="chan@archsd.gov.hk", language="zh-HK", purpose="sign_in",
        link_url="http://127.0.0.1:8100/zh-hk/sign-in/link?token=abc",
        expires_at=CREATED + timedelta(minutes=15), org="ArchSD", role="department",
    ),
}
EVENTS = pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda c: c.__name__)


def nested_models(model: type[BaseModel]) -> set[type[BaseModel]]:
    """`model` and every pydantic model its fields can hold, however deeply."""
    found: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        for field in current.model_fields.values():
            stack = [field.annotation]
            while stack:
                tp = stack.pop()
                if inspect.isclass(tp) and issubclass(tp, BaseModel):
                    todo.append(tp)
                stack.extend(typing.get_args(tp))
    return found


def test_every_event_type_has_a_sample():
    assert set(SAMPLES) == set(EVENT_TYPES)
    assert all(type(SAMPLES[cls]) is cls for cls in EVENT_TYPES)


def test_event_types_are_exported_and_their_subjects_unique():
    subjects = [cls.SUBJECT for cls in EVENT_TYPES]
    assert len(set(subjects)) == len(subjects)
    for cls in EVENT_TYPES:
        assert getattr(contracts, cls.__name__) is cls
        assert event_type_for_subject(cls.SUBJECT) is cls
    with pytest.raises(KeyError):
        event_type_for_subject("innoportal.nothing.here")


def test_the_subjects_interfaces_md_fixes():
    assert WishPosted.SUBJECT == Subjects.WISH_POSTED == "innoportal.wish.posted"
    assert SolutionSubmitted.SUBJECT == "innoportal.solution.submitted"
    assert Matched.SUBJECT == "innoportal.match.found"
    assert TrialCompleted.SUBJECT == "innoportal.trial.completed"


@EVENTS
def test_event_is_frozen_everywhere(cls):
    event = SAMPLES[cls]
    with pytest.raises(ValidationError):
        event.event_id = "another"
    for model in nested_models(cls):
        assert model.model_config.get("frozen") is True, f"{model.__name__} is not frozen"


@EVENTS
def test_event_has_the_envelope(cls):
    event = SAMPLES[cls]
    assert issubclass(cls, Event)
    assert isinstance(event.event_id, str) and event.event_id
    assert event.occurred_at.tzinfo is not None
    assert event.schema_version == cls.SCHEMA_VERSION >= 1
    assert cls.SUBJECT.startswith("innoportal.")
    assert cls.SUBJECT.count(".") >= 2 and "*" not in cls.SUBJECT and ">" not in cls.SUBJECT


@EVENTS
def test_event_ids_are_unique_per_instance(cls):
    data = SAMPLES[cls].model_dump(exclude={"event_id", "occurred_at"})
    assert cls(**data).event_id != cls(**data).event_id


@EVENTS
def test_event_round_trips_through_json(cls):
    event = SAMPLES[cls]
    wire = event.model_dump_json()
    assert cls.model_validate_json(wire) == event
    parsed = parse_event(cls.SUBJECT, wire.encode())
    assert type(parsed) is cls and parsed == event
    assert parse_event(cls.SUBJECT, json.loads(wire)) == event
    body = json.loads(wire)
    assert {"event_id", "occurred_at", "schema_version"} <= set(body)
    assert body["schema_version"] == cls.SCHEMA_VERSION


def test_chinese_text_travels_as_utf8_and_comes_back_unchanged():
    wire = SAMPLES[WishPosted].model_dump_json().encode("utf-8")
    assert "升降機故障預測".encode() in wire
    assert parse_event(Subjects.WISH_POSTED, wire).wish.title_zh == "升降機故障預測"


@EVENTS
def test_occurred_at_is_iso_8601_utc_ending_in_z(cls):
    hong_kong = timezone(timedelta(hours=8))
    data = SAMPLES[cls].model_dump(exclude={"occurred_at"})
    event = cls(**data, occurred_at=datetime(2026, 11, 21, 17, 30, 5, tzinfo=hong_kong))
    body = json.loads(event.model_dump_json())
    assert body["occurred_at"] == "2026-11-21T09:30:05Z"
    again = cls.model_validate_json(event.model_dump_json())
    assert again.occurred_at == datetime(2026, 11, 21, 9, 30, 5, tzinfo=UTC)
    default = json.loads(SAMPLES[cls].model_dump_json())["occurred_at"]
    assert default.endswith("Z") and "+" not in default
    assert datetime.fromisoformat(default).utcoffset() == timedelta(0)


def test_a_naive_occurred_at_is_refused():
    with pytest.raises(ValidationError, match="occurred_at"):
        WishClosed(wish_id="w-1", owner_org="EMSD", occurred_at=datetime(2026, 1, 1, 12, 0))


@EVENTS
def test_every_field_is_described(cls):
    for model in nested_models(cls):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


@EVENTS
def test_json_schema_generates(cls):
    schema = cls.model_json_schema()
    assert {"event_id", "occurred_at", "schema_version"} <= set(schema["properties"])


@EVENTS
def test_unknown_fields_are_ignored_for_forward_compatibility(cls):
    body = json.loads(SAMPLES[cls].model_dump_json())
    body["added_in_a_later_minor_change"] = True
    assert cls.model_validate(body) == SAMPLES[cls]


# --- upcasting: old payloads are lifted to the current schema before validation -------------


class ToyRenamed(Event):
    """v2 renamed `name` to `title` and added `language`."""

    SUBJECT: ClassVar[str] = "innoportal.test.toy_renamed"
    SCHEMA_VERSION: ClassVar[int] = 2
    title: str = Field(description="Title.")
    language: str = Field(description="Language of the title.")


@register_upcaster("ToyRenamed", 1)
def _toy_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    payload = dict(payload)
    payload["title"] = payload.pop("name")
    payload["language"] = "en"
    return payload


class ToyThree(Event):
    """v3; only the 2 → 3 upcaster exists, so a v1 payload cannot be brought up."""

    SUBJECT: ClassVar[str] = "innoportal.test.toy_three"
    SCHEMA_VERSION: ClassVar[int] = 3
    size: int = Field(description="Size.")


@register_upcaster("ToyThree", 2)
def _toy_three_v2_to_v3(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "size": int(payload.pop("size_text"))}


def test_a_v1_payload_parses_into_the_v2_shape():
    v1 = {"event_id": "e-1", "occurred_at": "2026-11-21T09:30:00Z", "schema_version": 1,
          "name": "Lift fault prediction"}
    event = ToyRenamed.model_validate(v1)
    assert (event.title, event.language, event.schema_version) == ("Lift fault prediction", "en", 2)
    assert event.event_id == "e-1"
    assert ToyRenamed.model_validate_json(json.dumps(v1)) == event
    body = json.loads(event.model_dump_json())
    assert body["schema_version"] == 2 and "name" not in body
    # The upcast event round-trips as v2 and is not upcast again.
    assert ToyRenamed.model_validate_json(event.model_dump_json()) == event


def test_a_current_payload_is_left_alone():
    v2 = {"event_id": "e-2", "schema_version": 2, "title": "門禁", "language": "zh"}
    event = ToyRenamed.model_validate(v2)
    assert (event.title, event.language) == ("門禁", "zh")


def test_a_payload_from_the_future_fails_validation():
    v3 = {"event_id": "e-3", "schema_version": 3, "title": "t", "language": "en"}
    with pytest.raises(ValidationError, match="schema_version 3 is not 2"):
        ToyRenamed.model_validate(v3)


def test_an_old_version_without_upcaster_fails_validation():
    with pytest.raises(ValidationError, match="no upcaster"):
        ToyThree.model_validate({"event_id": "e-4", "schema_version": 1, "size": 3})
    # The registered step still works, so the failure above is for the missing 1 → 2 step.
    assert ToyThree.model_validate({"event_id": "e-5", "schema_version": 2, "size_text": "7"}).size == 7


def test_upcasting_does_not_change_the_callers_payload():
    v1 = {"event_id": "e-6", "schema_version": 1, "name": "x"}
    ToyRenamed.model_validate(v1)
    assert v1 == {"event_id": "e-6", "schema_version": 1, "name": "x"}


# --- the stream --------------------------------------------------------------------------------


def test_stream_is_file_backed_and_covers_every_subject():
    assert STREAM_NAME == STREAM.name == "INNOPORTAL"
    assert STREAM.config.storage == StorageType.FILE
    assert STREAM_SUBJECTS == ["innoportal.>"]
    assert all(cls.SUBJECT.startswith(STREAM_SUBJECTS[0][:-1]) for cls in EVENT_TYPES)


def test_duplicate_window_outlasts_the_outbox_retry_horizon():
    window = STREAM.config.duplicate_window
    assert window == contracts.DUPLICATE_WINDOW_SECONDS
    assert window > OUTBOX_MAX_BACKOFF_SECONDS
    # The relay's defaults, whatever the environment of this test run sets.
    assert window >= CommonSettings.model_fields["outbox_max_backoff"].default
    assert window >= inspect.signature(OutboxRelay).parameters["max_backoff"].default
    assert OUTBOX_MAX_BACKOFF_SECONDS >= CommonSettings.model_fields["outbox_max_backoff"].default
