"""Email templates: Jinja2 with autoescape, the way the portal renders its pages.

Each templates/<language>/<name>.txt has sections, [subject], [text] and [html]; each section is
a template of its own, "<language>/<name>.<section>", so the HTML one is autoescaped and the
others are not. Every section is compiled once (`compile_all`, when the Composer is made) and
kept; a value the template needs and was not given raises KeyError naming it.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from jinja2 import (BaseLoader, Environment, StrictUndefined, Template, TemplateNotFound,
                    UndefinedError, select_autoescape)
from markupsafe import Markup

_SECTION = re.compile(r"^\[(subject|text|html)\]\n", re.MULTILINE)
LANGUAGES = ("en", "zh-HK")


@dataclass(frozen=True)
class Both:
    """A value with one form for the text part and one, safe markup, for the HTML part."""

    text: str
    html: str


def _folder() -> Traversable:
    return resources.files("services.notifier.emails") / "templates"


def sections(source: str) -> dict[str, str]:
    """A template file's sections by name, each without its trailing newlines."""
    parts = _SECTION.split(source)
    return {parts[i]: parts[i + 1].rstrip("\n") for i in range(1, len(parts) - 1, 2)}


class SectionLoader(BaseLoader):
    """Serves "<language>/<name>.<section>": [section] of templates/<language>/<name>.txt."""

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        path, _, section = template.rpartition(".")
        source = _folder().joinpath(*f"{path}.txt".split("/"))
        if not source.is_file():
            raise TemplateNotFound(template)
        found = sections(source.read_text(encoding="utf-8"))
        if section not in found:
            raise TemplateNotFound(template)
        return found[section], str(source), lambda: True

    def list_templates(self) -> list[str]:
        names = []
        for language in LANGUAGES:
            for file in _folder().joinpath(language).iterdir():
                if file.name.endswith(".txt"):
                    found = sections(file.read_text(encoding="utf-8"))
                    if not found:
                        raise ValueError(f"template {language}/{file.name} has no section")
                    names += [f"{language}/{file.name[:-4]}.{s}" for s in found]
        return sorted(names)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The emails' Jinja2 environment: [html] sections autoescaped, compiled once, strict."""
    return Environment(
        loader=SectionLoader(), undefined=StrictUndefined, auto_reload=False, cache_size=-1,
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True, lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def compile_all() -> dict[tuple[str, str, str], Template]:
    """Every section of every template, compiled: (language, name, section) to its template."""
    env = environment()
    compiled = {}
    for name in env.loader.list_templates():  # type: ignore[union-attr]
        path, _, section = name.rpartition(".")
        language, _, kind = path.partition("/")
        compiled[(language, kind, section)] = env.get_template(name)
    return compiled


def _value(value: Any, html: bool) -> Any:
    if isinstance(value, Both):
        return Markup(value.html) if html else value.text
    return "" if value is None else value


def render(language: str, name: str, section: str, values: Mapping[str, Any]) -> str:
    """One section of a template; the HTML section escapes every value but a Both's markup."""
    try:
        template = compile_all()[(language, name, section)]
    except KeyError:
        raise TemplateNotFound(f"{language}/{name}.{section}") from None
    html = section == "html"
    try:
        # Template.render, less the merge of Jinja's globals (these templates use none): a
        # fan-out renders a footer per recipient.
        context = template.new_context({k: _value(v, html) for k, v in values.items()}, shared=True)
        return "".join(template.root_render_func(context))
    except UndefinedError as exc:  # as str.format_map did: the caller forgot a value
        raise KeyError(f"{language}/{name}.{section}: {exc.message}") from exc


def render_both(language: str, name: str, values: Mapping[str, Any]) -> Both:
    """The text and HTML sections of a partial template, for insertion into a larger one."""
    return Both(render(language, name, "text", values), render(language, name, "html", values))
