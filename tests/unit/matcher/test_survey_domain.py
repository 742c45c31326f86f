"""The survey's ranking in the domain: free text in either language, the floor, filters kept in
the index (and its snapshot), pages, the brute-force baseline agreeing, and drafts."""

import pytest
from matcher_records import SOLUTIONS

from services.matcher.domain import Matcher
from services.matcher.domain.survey import Filters, ranked, similar, text_query


def test_free_text_is_english_chinese_or_both():
    assert text_query("  passenger lifts ") == {"id": "", "title_en": "passenger lifts"}
    assert text_query("升降機故障") == {"id": "", "title_zh": "升降機故障"}
    assert text_query("升降機 door sensors") == {"id": "", "title_zh": "升降機 door sensors",
                                               "title_en": "door sensors"}


def ids(page) -> list[str]:
    return [r.id for r in page.items]


def test_every_solution_above_the_floor_best_first_with_reasons(matcher):
    page = ranked(matcher, text_query("passenger lift faults"), matcher.solutions, floor=0.1)
    assert ids(page)[0] == "s-lift-zh" and page.total == len(page.items)
    assert all(r.score >= 0.1 for r in page.items)
    assert [r.score for r in page.items] == sorted((r.score for r in page.items), reverse=True)
    assert page.items[0].reasons and sum(r.weight for r in page.items[0].reasons) > 0
    higher = ranked(matcher, text_query("passenger lift faults"), matcher.solutions, floor=0.9)
    assert higher.total < page.total


@pytest.mark.parametrize("filters", [Filters(category="smart-mobility"), Filters(trl_min=8),
                                     Filters(category="iot-sensors", trl_min=7)])
def test_filters_keep_only_what_they_name_in_both_paths(matcher, filters):
    query = text_query("sensors detect vacant spaces and faults")
    fast = ranked(matcher, query, matcher.solutions, floor=0.0, filters=filters)
    slow = ranked(matcher, query, matcher.solutions, floor=0.0, filters=filters, brute=True)
    assert ids(fast) == ids(slow) and fast.total == slow.total
    for found in fast.items:
        record = SOLUTIONS[found.id]
        assert filters.category in (None, *record["categories"])
        assert record["trl"] >= (filters.trl_min or 0)


def test_pages_split_the_ranking(matcher):
    query = text_query("sensors data")
    whole = ids(ranked(matcher, query, matcher.solutions, floor=0.0, limit=100))
    pages = [ids(ranked(matcher, query, matcher.solutions, floor=0.0, offset=o, limit=2))
             for o in range(0, len(whole) + 2, 2)]
    assert sum(pages, []) == whole and pages[-1] == []


def test_readiness_levels_survive_a_snapshot(matcher, analyzer):
    restored = Matcher.from_bytes(matcher.to_bytes(), analyzer=analyzer)
    query = text_query("sensors detect vacant spaces and faults")
    for m in (matcher, restored):
        assert ids(ranked(m, query, m.solutions, floor=0.0, filters=Filters(trl_min=8))) == ids(
            ranked(matcher, query, matcher.solutions, floor=0.0, filters=Filters(trl_min=8)))


def test_a_draft_finds_its_twin_in_the_other_language(matcher):
    draft = {"id": "", "title_en": "AI platform predicting lift faults",
             "description_en": "Machine learning on lift controller data predicts faults "
                               "before passengers are trapped."}
    found = similar(matcher, draft, "solution", floor=0.35, limit=3)
    assert found and found[0].id == "s-lift-zh" and len(found) <= 3
    assert [r.id for r in similar(matcher, draft, "solution", floor=0.35, limit=3,
                                  brute=True)] == [r.id for r in found]
