"""The three open datasets and, for each, the one explicit list of fields it publishes.

A field is taken from an API record only when it is named here, so anything the APIs add later
(or a contact email a reader was allowed to see) never reaches a download.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from services.portal.domain.language import EN, ZH

Record = Mapping[str, Any]
Getter = Callable[[Record, str], Any]  # (API record, portal base URL) -> value
FEED_SIZE = 50  # entries in each Atom feed, newest first
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Field:
    """One published field: its name, its kind (how it is written), its doc text, how to read it."""

    name: str
    kind: str  # id, text, categories, moment, date, integer, url, status, verdict, sha256
    doc: str  # the key of its meaning in texts.open_data: "open_data.field.<doc>"
    get: Getter


@dataclass(frozen=True)
class Dataset:
    """A dataset: which API lists it, its record key, its portal pages, and its fields."""

    name: str
    service: str
    path: str  # the API's list
    key: str  # the field that identifies a record
    page: str  # the portal's pages of a record: /{lang}/<page>/{key}
    fields: tuple[Field, ...]

    @property
    def field_names(self) -> list[str]:
        """The fields' names, in order (the CSV header, the JSON `fields`)."""
        return [f.name for f in self.fields]

    def page_url(self, portal: str, record: Record, path: str) -> str:
        """The portal page of `record` under the language prefix `path` (en, zh-hk)."""
        return page_link(portal, path, self.page, record[self.key])


def page_link(portal: str, path: str, page: str, record_id: Any) -> str:
    """A record's portal page: {portal}/{en|zh-hk}/{page}/{id}."""
    return f"{portal}/{path}/{page}/{quote(str(record_id), safe='')}"


def key(name: str) -> Getter:
    """The record's own field `name`."""
    return lambda record, portal: record.get(name)


def inner(part: str, name: str) -> Getter:
    """Field `name` of the record's nested object `part` (a report's wish, solution, venue)."""
    return lambda record, portal: (record.get(part) or {}).get(name)


def utc_moment(value: Any) -> str | None:
    """An API's ISO 8601 moment written one way: UTC, to the second (2026-12-01T09:30:00Z)."""
    if value is None or value == "":
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)  # not ours to reinterpret: passed on as the service wrote it
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the APIs speak UTC
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def field(name: str, kind: str, get: Getter | None = None, doc: str | None = None) -> Field:
    """A field read from the record's own key of the same name unless `get` says otherwise."""
    read = get or key(name)
    if kind == "moment":
        return Field(name, kind, doc or name,
                     lambda record, portal: utc_moment(read(record, portal)))
    return Field(name, kind, doc or name, read)


def page_fields(page: str, record_key: str) -> tuple[Field, Field]:
    """The links to a record's English and Chinese portal pages."""
    def link(path: str) -> Getter:
        return lambda record, portal: page_link(portal, path, page, record[record_key])
    return field("page_en", "url", link(EN.path)), field("page_zh", "url", link(ZH.path))


def report_file(suffix: str) -> Getter:
    """The portal's link to a report's file (report.json, report.pdf); a bilingual document."""
    return lambda record, portal: (
        f"{portal}/reports/{quote(str(record['trial_id']), safe='')}/{suffix}")


TEXTS = (field("title_en", "text"), field("title_zh", "text"),
         field("description_en", "text"), field("description_zh", "text"),
         field("categories", "categories"), field("owner_org", "text"))

WISHES = Dataset("wishes", "wishes", "/v1/wishes", "id", "wishes", (
    field("id", "id", doc="wishes.id"), *TEXTS,
    field("status", "status"), field("created_at", "moment", doc="wishes.created_at"),
    field("closes_on", "date"), field("closed_at", "moment"), field("close_reason", "text"),
    field("budget_hkd", "integer"), field("venue_note", "text"),
    *page_fields("wishes", "id"),
))

SOLUTIONS = Dataset("solutions", "solutions", "/v1/solutions", "id", "solutions", (
    field("id", "id", doc="solutions.id"), *TEXTS,
    field("trl", "integer"), field("website", "url"), field("wish_id", "id"),
    field("created_at", "moment", doc="solutions.created_at"),
    *page_fields("solutions", "id"),
))


def _party(role: str) -> tuple[Field, ...]:
    return tuple(field(f"{role}_{name}", "id" if name == "id" else "text", inner(role, name),
                       doc=f"reports.{role}_{name}")
                 for name in ("id", "title_en", "title_zh", "owner_org"))


REPORTS = Dataset("reports", "trials", "/v1/reports", "trial_id", "reports", (
    field("trial_id", "id"), field("version", "integer"), field("supersedes", "integer"),
    field("verdict", "verdict"), field("kpis_met", "integer"), field("kpis_total", "integer"),
    *_party("wish"), *_party("solution"),
    field("venue_id", "id", inner("venue", "id")),
    field("venue_name_en", "text", inner("venue", "name_en")),
    field("venue_name_zh", "text", inner("venue", "name_zh")),
    *(field(name, "moment", inner("dates", name))
      for name in ("planned_start", "planned_end", "actual_start", "completed_at")),
    field("published_at", "moment"), field("content_hash", "sha256"),
    *page_fields("reports", "trial_id"),
    field("report_json", "url", report_file("report.json")),
    field("report_pdf", "url", report_file("report.pdf")),
))

DATASETS: dict[str, Dataset] = {d.name: d for d in (WISHES, SOLUTIONS, REPORTS)}


def row_of(dataset: Dataset, record: Record, portal: str) -> dict[str, Any]:
    """The published fields of one API record, in the dataset's order, and nothing else."""
    return {f.name: f.get(record, portal) for f in dataset.fields}
