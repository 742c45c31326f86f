"""The report page comes from one Jinja2 template with autoescape, compiled once."""

import copy
import re
from html.parser import HTMLParser

from trials_builders import completed_with_report

from services.trials.report import html as report_html
from services.trials.report import render_html

EVIL = "<b>A&B</b> \"q\" 's' {{ 7 * 7 }} {% if %} ${x}"


class Text(HTMLParser):
    """The page's tags and the text a reader sees."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_every_ampersand_in_the_page_starts_a_character_reference():
    _, _, doc = completed_with_report(summary=EVIL)
    page = render_html(doc)
    assert "I&amp;T solution" in page  # labels are text too, escaped like the document's values
    assert not re.findall(r"&(?!(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);)", page)


def test_template_syntax_in_the_document_is_shown_as_text():
    _, _, doc = completed_with_report(summary=EVIL)
    doc = copy.deepcopy(doc)
    doc["parties"][1]["title_en"] = EVIL
    page = Text(render_html(doc))
    assert "".join(page.text).count(EVIL) >= 3  # the summary, the title and the subtitle
    assert "b" not in page.tags


def test_the_template_is_autoescaped_and_compiled_once(monkeypatch):
    _, _, doc = completed_with_report()
    first = render_html(doc)
    template = report_html.template()
    assert template is report_html.template() and template.environment is report_html.environment()
    assert template.environment.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"

    def no_loading(*_args, **_kwargs):
        raise AssertionError("the template was loaded again")

    monkeypatch.setattr(type(template.environment.loader), "get_source", no_loading)
    assert render_html(doc) == first
