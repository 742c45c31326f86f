"""The feed of each dataset: how a wish, a solution and a report read as Atom entries.

A feed serves readers of both languages, so every text is given in English and Chinese when the
record has both (e.g. "Lift fault prediction / 升降機故障預測").
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from contracts.categories import CATEGORIES
from services.portal.domain.language import EN, ZH, Language
from services.portal.domain.open_data.atom import Category, Entry, Feed, Link, atom_time
from services.portal.domain.open_data.datasets import DATASETS, Dataset, report_file
from services.portal.domain.texts import translate

Record = Mapping[str, Any]
CATEGORY_LABELS = {c.id: f"{c.en} / {c.zh}" for c in CATEGORIES}
SEPARATOR = " / "


def bilingual(english: str | None, chinese: str | None) -> str:
    """Both versions of a text, English first; one when there is only one (or they are equal)."""
    parts = [p for p in (english, chinese) if p]
    return parts[0] if len(set(parts)) == 1 else SEPARATOR.join(parts)


def both(key: str, sep: str = SEPARATOR, **values: Any) -> str:
    """A portal text in English and Chinese; a value that is a callable is given the language."""
    def one(language: Language) -> str:
        filled = {k: v(language) if callable(v) else v for k, v in values.items()}
        return translate(key, language, **filled)
    return sep.join((one(EN), one(ZH)))


def titled(record: Record, prefix: str = "title") -> str:
    """A record's title in both languages."""
    return bilingual(record.get(f"{prefix}_en"), record.get(f"{prefix}_zh"))


def page_links(dataset: Dataset, record: Record, portal: str) -> list[Link]:
    """A record's portal page (English first), and each language's page with its hreflang."""
    english, chinese = (dataset.page_url(portal, record, lang.path) for lang in (EN, ZH))
    return [Link(english), Link(english, hreflang=EN.tag), Link(chinese, hreflang=ZH.tag)]


def category_terms(ids: Sequence[str], portal: str) -> list[Category]:
    """Category terms, explained on the open data page."""
    scheme = f"{portal}/{EN.path}/open-data#categories"
    return [Category(c, scheme, CATEGORY_LABELS.get(c, c)) for c in ids]


def descriptions(record: Record) -> list[str]:
    """The record's descriptions, English then Chinese."""
    return [d for d in (record.get("description_en"), record.get("description_zh")) if d]


def wish_entry(record: Record, portal: str) -> Entry:
    """A wish: its titles, descriptions and categories, the department that posted it."""
    closed = record.get("status") == "closed"
    lines = [both("open_data.entry.closed")] if closed else []
    return Entry(
        id=DATASETS["wishes"].page_url(portal, record, EN.path), title=titled(record),
        updated=atom_time(record.get("closed_at") if closed else None)
        or atom_time(record["created_at"]) or "",
        published=atom_time(record["created_at"]), author=record.get("owner_org"),
        links=page_links(DATASETS["wishes"], record, portal),
        categories=category_terms(record.get("categories") or [], portal),
        summary="\n\n".join(lines + descriptions(record)),
    )


def solution_entry(record: Record, portal: str) -> Entry:
    """A solution: its titles, descriptions, categories and readiness, the provider."""
    lines = [both("open_data.entry.trl", trl=record.get("trl"))]
    return Entry(
        id=DATASETS["solutions"].page_url(portal, record, EN.path), title=titled(record),
        updated=atom_time(record["created_at"]) or "", published=atom_time(record["created_at"]),
        author=record.get("owner_org"), links=page_links(DATASETS["solutions"], record, portal),
        categories=category_terms(record.get("categories") or [], portal),
        summary="\n\n".join(descriptions(record) + lines),
    )


def report_entry(record: Record, document: Record | None, portal: str) -> Entry:
    """A published report (its latest version): verdict, KPIs met, wish, venue, EMSD's summary."""
    dataset, version = DATASETS["reports"], int(record.get("version") or 1)
    title = both("open_data.entry.report") + ": " + titled(record.get("solution") or {})
    if version > 1:
        title += f" ({both('open_data.entry.version', version=version)})"
    verdict = str(record.get("verdict", ""))
    lines = [
        both("open_data.entry.verdict", "\n", met=record.get("kpis_met"),
             total=record.get("kpis_total"),
             verdict=lambda lang: translate(f"report.verdict.{verdict}", lang)),
        f"{both('open_data.entry.wish')}: {titled(record.get('wish') or {})}",
        f"{both('open_data.entry.venue')}: {titled(record.get('venue') or {}, 'name')}",
    ]
    if document and document.get("summary"):
        lines.append(str(document["summary"]))
    files = [Link(report_file("report.pdf")(record, portal), "related", "application/pdf"),
             Link(report_file("report.json")(record, portal), "related", "application/json")]
    published = atom_time(record.get("published_at"))
    return Entry(
        id=dataset.page_url(portal, record, EN.path), title=title, updated=published or "",
        published=published if version == 1 else None,
        author=(document or {}).get("conducted_by"),
        links=[*page_links(dataset, record, portal), *files],
        categories=[Category(verdict, f"{portal}/{EN.path}/open-data#verdict",
                             both(f"report.verdict.{verdict}"))] if verdict else [],
        summary="\n\n".join(lines),
    )


def feed_of(dataset: Dataset, records: Sequence[Record], portal: str, now: datetime,
            documents: Mapping[str, Record] | None = None) -> Feed:
    """The feed of `dataset` from its newest records (and, for reports, their documents)."""
    if dataset.name == "reports":
        entries = [report_entry(r, (documents or {}).get(r["trial_id"]), portal) for r in records]
    else:
        make = wish_entry if dataset.name == "wishes" else solution_entry
        entries = [make(r, portal) for r in records]
    list_en, list_zh = (f"{portal}/{lang.path}/{dataset.page}" for lang in (EN, ZH))
    return Feed(
        id=f"{portal}/feeds/{dataset.name}.atom",
        title=both(f"open_data.feed.{dataset.name}"),
        subtitle=both(f"open_data.feed.{dataset.name}.subtitle"),
        links=[Link(f"{portal}/feeds/{dataset.name}.atom", "self", "application/atom+xml"),
               Link(list_en), Link(list_en, hreflang=EN.tag), Link(list_zh, hreflang=ZH.tag)],
        author=both("site.owner"), entries=entries, generated_at=now,
    )
