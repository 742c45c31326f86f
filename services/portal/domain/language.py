"""The portal's two languages: the path prefix, the HTML tag, the APIs' code, and the reader's choice."""

from dataclasses import dataclass

from innoportal.i18n import language_of


@dataclass(frozen=True)
class Language:
    """One language of the portal, as each layer spells it."""

    path: str  # in URLs, as GovHK does: /en/, /zh-hk/
    tag: str  # <html lang>, Accept-Language and the APIs' `language` (en, zh-HK)
    name: str  # its own name, for the switch
    index: int  # position in a (English, Chinese) pair of texts


EN = Language("en", "en", "English", 0)
ZH = Language("zh-hk", "zh-HK", "繁體中文", 1)
LANGUAGES: dict[str, Language] = {EN.path: EN, ZH.path: ZH}
COOKIE = "lang"


def by_path(prefix: str) -> Language | None:
    """The language of a path prefix (`en`, `zh-hk`), or None."""
    return LANGUAGES.get(prefix)


def by_tag(tag: str | None) -> Language:
    """The language of an API code such as `zh-HK` (English for anything else)."""
    return ZH if tag and tag.lower().startswith("zh") else EN


def other(language: Language) -> Language:
    """The language the switch offers."""
    return EN if language is ZH else ZH


def from_accept_language(header: str) -> Language:
    """The preferred of our two languages in an Accept-Language header (English by default)."""
    return by_tag(language_of(header))


def chosen(cookie: str | None, accept_language: str) -> Language:
    """The reader's language: the one they chose before (cookie), else their browser's."""
    return by_path(cookie or "") or from_accept_language(accept_language)
