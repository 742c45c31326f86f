"""Every text of the portal's pages, in English and Traditional Chinese side by side.

Each area of the portal keeps its texts in a module of this package as `TEXTS = {key: (en, zh)}`;
a text with `{name}` placeholders is filled by `translate(key, language, name=...)`. Keeping the two
languages in one pair means a text cannot exist in one language only.
"""

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from services.portal.domain.language import Language

AREAS = ("common", "errors", "home", "records", "wishes", "solutions", "reports", "trials",
         "subscribe", "open_data", "accounts", "workspace", "my_records", "my_trials", "my_admin",
         "survey")


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        texts: Mapping[str, tuple[str, str]] = import_module(f"{__name__}.{area}").TEXTS
        for key, pair in texts.items():
            if key in merged:
                raise ValueError(f"text {key!r} is defined twice ({area})")
            merged[key] = pair
    return merged


CATALOG: dict[str, tuple[str, str]] = _merge()


def translate(key: str, language: Language, /, **values: Any) -> str:
    """The text `key` in `language`, its placeholders filled; KeyError for an unknown key."""
    text = CATALOG[key][language.index]
    return text.format(**values) if values else text
