"""Who hears of an item: one alert per subscriber, however many of their rules match."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from services.notifier.domain.rules import email_key
from services.notifier.domain.terms import KeywordKey, TextProfile, profile


@dataclass(frozen=True)
class Item:
    """Something subscribers may be alerted to (a wish), prepared for matching."""

    key: str
    categories: frozenset[str]
    text: TextProfile

    @classmethod
    def of(cls, key: str, categories: Iterable[str], texts: Iterable[str | None]) -> "Item":
        """An item from its key (e.g. "wish:w-1"), category ids and texts in either language."""
        return cls(key, frozenset(categories), profile(texts))

    def lookup_terms(self) -> frozenset[str]:
        """The index terms a subscription's keyword anchor must be among to be a candidate."""
        return self.text.terms


@dataclass(frozen=True)
class Candidate:
    """A subscription the index returned for an item, with its rules."""

    subscription_id: str
    email: str
    language: str
    frequency: str
    categories: frozenset[str] = frozenset()
    keywords: tuple[KeywordKey, ...] = ()


@dataclass(frozen=True)
class Alert:
    """One subscriber to alert about one item, and why (every rule that matched)."""

    subscription_id: str
    email: str
    language: str
    frequency: str
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    also: tuple[str, ...] = field(default=(), compare=False)  # other subscriptions, same address

    def reasons(self) -> dict[str, list[str]]:
        """Why it came, as stored with the alert and shown in the email."""
        return {"categories": list(self.categories), "keywords": list(self.keywords)}


def match_candidate(item: Item, cand: Candidate) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The categories and keywords of `cand` that match `item`, or None when none does."""
    cats = tuple(sorted(cand.categories & item.categories))
    kws = tuple(k.keyword for k in cand.keywords if item.text.contains(k.units))
    return (cats, kws) if cats or kws else None


def select_recipients(item: Item, candidates: Iterable[Candidate]) -> list[Alert]:
    """One alert per address for `item`: rules are re-checked, duplicates merged."""
    by_address: dict[str, Alert] = {}
    for cand in candidates:
        hit = match_candidate(item, cand)
        if hit is None:
            continue
        key = email_key(cand.email)
        prev = by_address.get(key)
        if prev is None:
            by_address[key] = Alert(
                cand.subscription_id, cand.email, cand.language, cand.frequency, *hit
            )
        elif cand.subscription_id != prev.subscription_id:
            by_address[key] = Alert(
                prev.subscription_id, prev.email, prev.language, prev.frequency,
                tuple(sorted(set(prev.categories) | set(hit[0]))),
                tuple(dict.fromkeys(prev.keywords + hit[1])),
                prev.also + (cand.subscription_id,),
            )
    return list(by_address.values())


@dataclass(frozen=True)
class Contact:
    """A party's contact to tell of a match or trial, with the role it plays."""

    email: str
    role: str
    party_id: str
    language: str


def party_language(title_en: str | None, title_zh: str | None) -> str:
    """The language to write to a party with no subscription: the one its record is in."""
    return "zh-HK" if title_zh and not title_en else "en"


def unique_contacts(contacts: Sequence[Contact]) -> list[Contact]:
    """Contacts with one entry per address (the first role wins)."""
    seen: dict[str, Contact] = {}
    for c in contacts:
        seen.setdefault(email_key(c.email), c)
    return list(seen.values())
