"""Jinja2 for HTML, the one way every service renders it: autoescaped, strict about missing
values, compiled once (no reloading)."""

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def html_environment(package: str, folder: str = "templates") -> Environment:
    """An environment over `package`'s `folder` of HTML templates; a missing value raises."""
    return Environment(
        loader=PackageLoader(package, folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, auto_reload=False, trim_blocks=True, lstrip_blocks=True,
    )
