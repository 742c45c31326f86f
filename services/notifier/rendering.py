"""A tiny renderer: sectioned template files ([subject], [text], [html]) and string.Template."""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any

_SECTION = re.compile(r"^\[(subject|text|html)\]\n", re.MULTILINE)


class Html(str):
    """Markup that is already safe: inserted into HTML as is."""


@dataclass(frozen=True)
class Both:
    """A value with one form for the text part and one (safe markup) for the HTML part."""

    text: str
    html: Html


def _to_format(template: Template) -> str:
    """A string.Template's text as a str.format string (format_map is several times faster)."""
    out, pos, text = [], 0, template.template
    for m in template.pattern.finditer(text):
        out.append(text[pos : m.start()].replace("{", "{{").replace("}", "}}"))
        name = m.group("named") or m.group("braced")
        if m.group("escaped") is not None:
            out.append("$")
        elif name is None:
            raise ValueError(f"invalid placeholder in template: {m.group(0)!r}")
        else:
            out.append("{" + name + "}")
        pos = m.end()
    out.append(text[pos:].replace("{", "{{").replace("}", "}}"))
    return "".join(out)


@lru_cache(maxsize=128)
def load(language: str, name: str) -> dict[str, str]:
    """The sections of templates/<language>/<name>.txt, ready for str.format_map."""
    source = (resources.files("services.notifier") / "templates" / language / f"{name}.txt")
    parts = _SECTION.split(source.read_text(encoding="utf-8"))
    sections = {parts[i]: parts[i + 1].rstrip("\n") for i in range(1, len(parts) - 1, 2)}
    if not sections:
        raise ValueError(f"template {language}/{name} has no [subject], [text] or [html] section")
    return {key: _to_format(Template(body)) for key, body in sections.items()}


def _value(value: Any, section: str) -> str:
    if isinstance(value, Both):
        return value.html if section == "html" else value.text
    text = "" if value is None else str(value)
    if section == "html" and not isinstance(value, Html):
        return html.escape(text, quote=True)
    return text


def render(language: str, name: str, section: str, values: Mapping[str, Any]) -> str:
    """One section of a template; HTML values are escaped unless Html; a missing value raises."""
    template = load(language, name)[section]
    return template.format_map({k: _value(v, section) for k, v in values.items()})


def render_both(language: str, name: str, values: Mapping[str, Any]) -> Both:
    """The text and HTML sections of a partial template, for insertion into a larger one."""
    return Both(render(language, name, "text", values), Html(render(language, name, "html", values)))
