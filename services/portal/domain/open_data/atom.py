"""Atom feeds (RFC 4287) built with ElementTree, so every text and address is escaped."""

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from services.portal.domain.open_data.cells import xml_text
from services.portal.domain.open_data.datasets import utc_moment

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


@dataclass(frozen=True)
class Link:
    """An atom:link; `rel` alternate unless said (one per type and hreflang)."""

    href: str
    rel: str = "alternate"
    type: str | None = "text/html"
    hreflang: str | None = None


@dataclass(frozen=True)
class Category:
    """An atom:category: a term, where its terms are listed, and a label for people."""

    term: str
    scheme: str
    label: str


@dataclass(frozen=True)
class Entry:
    """One record of a feed."""

    id: str
    title: str
    updated: str
    links: Sequence[Link]
    summary: str
    author: str | None = None
    published: str | None = None
    categories: Sequence[Category] = ()


@dataclass(frozen=True)
class Feed:
    """A feed: its own id, title, links and author, and its entries newest first."""

    id: str
    title: str
    subtitle: str
    links: Sequence[Link]
    author: str
    entries: Sequence[Entry] = field(default_factory=list)
    generated_at: datetime | None = None

    @property
    def updated(self) -> str:
        """When the feed last changed: its newest entry, or (empty) when it was generated."""
        if self.entries:
            return max(e.updated for e in self.entries)
        return atom_time(self.generated_at or datetime.now(UTC)) or ""


def atom_time(value: str | datetime | None) -> str | None:
    """An API's ISO 8601 moment as an RFC 3339 one in UTC, to the second (None for none)."""
    if isinstance(value, datetime):
        value = value.isoformat()
    return utc_moment(value)


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    child.text = xml_text(value)
    return child


def _link(parent: ET.Element, link: Link) -> None:
    attrs = {"rel": link.rel, "href": link.href}
    if link.type:
        attrs["type"] = link.type
    if link.hreflang:
        attrs["hreflang"] = link.hreflang
    ET.SubElement(parent, "link", {k: xml_text(v) for k, v in attrs.items()})


def _author(parent: ET.Element, name: str) -> None:
    _text(ET.SubElement(parent, "author"), "name", name)


def _entry(parent: ET.Element, entry: Entry) -> None:
    node = ET.SubElement(parent, "entry")
    _text(node, "id", entry.id)
    _text(node, "title", entry.title, type="text")
    _text(node, "updated", entry.updated)
    if entry.published:
        _text(node, "published", entry.published)
    if entry.author:
        _author(node, entry.author)
    for link in entry.links:
        _link(node, link)
    for category in entry.categories:
        ET.SubElement(node, "category", {"term": xml_text(category.term),
                                         "scheme": xml_text(category.scheme),
                                         "label": xml_text(category.label)})
    _text(node, "summary", entry.summary, type="text")


def feed_xml(feed: Feed) -> bytes:
    """The feed as an Atom document, UTF-8."""
    root = ET.Element("feed", {"xmlns": ATOM})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title, type="text")
    _text(root, "subtitle", feed.subtitle, type="text")
    _text(root, "updated", feed.updated)
    _author(root, feed.author)
    for link in feed.links:
        _link(root, link)
    _text(root, "generator", "InnoPortal")
    for entry in feed.entries:
        _entry(root, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
