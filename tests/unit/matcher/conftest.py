"""Fixtures of the matcher's unit tests: one analyser per session, a filled matcher per test."""

import pytest
from matcher_records import SOLUTIONS, WISHES

from services.matcher.domain import Matcher
from services.matcher.domain.analysis import Analyzer
from services.matcher.domain.glossary import default_glossary


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """One analyser for the session: jieba's dictionary takes a second to load."""
    return Analyzer(default_glossary().zh_terms())


@pytest.fixture
def matcher(analyzer) -> Matcher:
    """A matcher holding every test solution and wish."""
    m = Matcher(analyzer=analyzer)
    for s in SOLUTIONS.values():
        m.add_solution(s)
    for w in WISHES.values():
        m.add_wish(w)
    return m
