"""Request bodies of the trials API: shapes and bounds here, the rules in the domain."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

from innoportal.fields import id_pattern, printable_line, printable_text
from services.trials.domain.checks import Edge, day_bound, is_plain_date

# Ids are short printable ASCII; anything else names no record and must not reach the database
# (PostgreSQL refuses NUL in text).
ID_PATTERN = id_pattern(64)
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN)]


def _moment(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a time zone (e.g. Z or +08:00)")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None
    if not 1970 <= utc.year <= 2999:
        raise ValueError("must be between the years 1970 and 2999")
    return utc


def line(max_length: int) -> Any:
    """A one-line text of 1 to max_length characters (stripped)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(printable_line),
    ]


def text(max_length: int) -> Any:
    """A text of 1 to max_length characters that may span lines."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(printable_text),
    ]


def _plain_day(edge: Edge) -> Any:
    """A validator turning a plain date YYYY-MM-DD into the start or end of that Hong Kong day."""

    def convert(value: Any) -> Any:
        return day_bound(value, edge) if is_plain_date(value) else value

    return BeforeValidator(convert)


Moment = Annotated[
    datetime,
    AfterValidator(_moment),
    Field(description="ISO 8601 date-time with a time zone",
          examples=["2026-11-21T09:30:00+08:00"]),
]
_DAY_OR_MOMENT = {"anyOf": [{"type": "string", "format": "date"},
                            {"type": "string", "format": "date-time"}]}
PlanStart = Annotated[
    datetime,
    _plain_day("start"),
    AfterValidator(_moment),
    WithJsonSchema({**_DAY_OR_MOMENT, "examples": ["2026-11-21", "2026-11-21T09:30:00+08:00"]}),
    Field(description="A plain date YYYY-MM-DD, meaning from 00:00 Hong Kong time that day, or "
          "an ISO 8601 date-time with a time zone"),
]
PlanEnd = Annotated[
    datetime,
    _plain_day("end"),
    AfterValidator(_moment),
    WithJsonSchema({**_DAY_OR_MOMENT, "examples": ["2026-12-20", "2026-12-20T18:00:00+08:00"]}),
    Field(description="A plain date YYYY-MM-DD, meaning to the end of that Hong Kong day "
          "(00:00 HKT of the next; windows are half-open), or an ISO 8601 date-time with a time "
          "zone"),
]
# A JSON number (a string is refused); NaN, infinities and values beyond ±10^15 are refused by
# the domain, whose messages say which.
Number = Annotated[float, Strict()]
Name = line(200)
Address = line(500)
KpiName = line(120)
Unit = line(40)
Summary = text(5000)
Reason = text(2000)


class VenueCreate(BaseModel):
    """POST /v1/venues body."""

    name_en: Name
    name_zh: Name
    address: Address
    owner_department: Name
    concurrent: Annotated[bool, Strict()] = Field(
        False, description="Whether the venue may host several trials at once"
    )


class KpiIn(BaseModel):
    """A KPI of the plan: baseline, target and which way is better."""

    name: KpiName
    unit: Unit
    baseline: Number
    target: Number
    direction: Literal["increase", "decrease"]
    aggregate: Literal["mean", "median", "last", "min", "max"] | None = Field(
        None,
        description="How its readings are summarised into its result: mean (the default), "
        "median, last, min or max; fixed with the plan. In an amendment, leaving it out keeps "
        "the KPI's current one; once the trial runs it cannot change.",
    )


class TrialCreate(BaseModel):
    """POST /v1/trials body: the plan, fixed before the start (changed only by amendments)."""

    match_id: Id = Field(description="An accepted match")
    venue_id: Id = Field(description="GET /v1/venues lists them", examples=["v-emsd-hq"])
    planned_start: PlanStart
    planned_end: PlanEnd
    kpis: list[KpiIn] = Field(description="1 to 20 KPIs; every one is judged at completion")


class MeasurementIn(BaseModel):
    """POST /v1/trials/{id}/measurements body."""

    kpi: KpiName = Field(description="The name of one of the trial's KPIs")
    value: Number = Field(description="A finite number in the KPI's unit, within ±10^15")
    measured_at: Moment | None = Field(
        None, description="When it was measured (inside the running window); default now"
    )


MAX_BATCH = 1000
# Each item is checked on its own (services/trials/api/measurements.py), so one answer names
# every wrong field of every item; the schema still says what an item is.
BatchItem = Annotated[Any, PlainValidator(lambda item: item, json_schema_input_type=MeasurementIn)]


class MeasurementBatchIn(BaseModel):
    """POST /v1/trials/{id}/measurements/batch body: stored all together, or none."""

    items: list[BatchItem] = Field(
        min_length=1, max_length=MAX_BATCH,
        description=f"1 to {MAX_BATCH} measurements, each as POST /v1/trials/{{id}}/measurements "
        "takes one; a wrong one is named items[N].field (N from 0) and then none is stored",
    )


class CompleteIn(BaseModel):
    """POST /v1/trials/{id}/complete body."""

    summary: Summary


class TerminateIn(BaseModel):
    """POST /v1/trials/{id}/terminate body."""

    reason: Reason


class AmendmentIn(BaseModel):
    """POST /v1/trials/{id}/amendments body: the reason and only the fields that change."""

    reason: Reason
    planned_start: PlanStart | None = None
    planned_end: PlanEnd | None = None
    venue_id: Id | None = None
    kpis: list[KpiIn] | None = None

    def changes(self) -> dict[str, object]:
        """The plan fields this amendment sets (absent or null fields stay as they are)."""
        out: dict[str, object] = {}
        for name in ("planned_start", "planned_end", "venue_id"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.kpis is not None:
            out["kpis"] = [k.model_dump() for k in self.kpis]
        return out


class CorrectionIn(BaseModel):
    """POST /v1/trials/{id}/report/corrections body: a new report version with a new summary."""

    reason: Reason
    summary: Summary
