"""Text analysis and glossary: stems, stop words, Chinese words in one script, concepts."""

import pytest

from services.matcher.domain.analysis import fold, singular
from services.matcher.domain.glossary import Glossary, default_glossary


def keys(tokens):
    return [t.key for t in tokens]


def test_english_is_stemmed_without_stop_words(analyzer):
    tokens = analyzer.english("The lifts are failing and the escalators were inspected")
    assert keys(tokens) == ["lift", "fail", "escal", "inspect"]
    assert [t.surface for t in tokens][:2] == ["lifts", "failing"]


def test_chinese_is_segmented_into_words_in_one_script(analyzer):
    traditional = keys(analyzer.chinese("升降機故障預測"))
    simplified = keys(analyzer.chinese("升降机故障预测"))
    assert traditional == simplified
    assert "升降机" in traditional and "故障" in traditional
    assert all(len(k) > 1 for k in traditional)  # words, not single characters


def test_chinese_keeps_the_writers_surface_and_glossary_words_whole(analyzer):
    tokens = analyzer.chinese("扶手電梯的扶手帶")
    assert "扶手电梯" in keys(tokens)
    assert "扶手電梯" in [t.surface for t in tokens]
    assert "的" not in keys(tokens)


def test_latin_words_inside_chinese_are_stemmed(analyzer):
    assert "sensor" in keys(analyzer.chinese("以IoT Sensors監測"))


def test_fold_and_singular():
    assert fold("電梯單車泊位") == "电梯单车泊位"
    assert [singular(w) for w in ("lifts", "batteries", "switches", "lifting", "gas")] == [
        "lift", "battery", "switch", "lifting", "gas"]


def concepts_en(text):
    return [h.concept for h in default_glossary().find_en(text.lower().split(), "en")]


def concepts_zh(text):
    return [h.concept for h in default_glossary().find_zh(text, fold(text))]


def test_glossary_maps_both_languages_to_one_concept():
    assert "lift" in concepts_en("passenger lifts")
    assert "lift" in concepts_zh("升降機") and "lift" in concepts_zh("电梯")
    assert "escalator" in concepts_en("escalator") and "escalator" in concepts_zh("扶手電梯")
    assert "chiller" in concepts_zh("冷水機") and "chiller" in concepts_en("chillers")
    assert "robot" in concepts_zh("機械人")


def test_glossary_tells_apart_the_words_that_look_alike():
    assert concepts_en("robot lifting heavy loads")[:2] == ["robot", "hoisting"]
    assert concepts_en("car park") == ["car-park"]
    assert concepts_en("bicycle parking") == ["bicycle-parking"]
    assert concepts_zh("單車泊位") == ["bicycle-parking"]
    assert concepts_zh("停車場") == ["car-park"]
    assert concepts_zh("發燒篩查") == ["fever-screening"]
    assert concepts_zh("文件審查") == ["document-screening"]
    assert concepts_en("fever screening") == ["fever-screening"]


def test_glossary_finds_inflections_through_stems():
    assert concepts_en("lifts monitored remotely")[:2] == ["lift", "remote-monitoring"]


def test_shipped_glossary_is_bilingual_and_large():
    g = default_glossary()
    assert len(g.concepts) >= 200
    for c in g.concepts.values():
        assert c.label_en and c.label_zh and c.label_en != c.label_zh, c.id
    assert g.ancestors("car-park") == ["parking", "smart-mobility"]
    assert g.inherited("car-park") == [(1, "parking")]  # smart mobility is a domain


def test_glossary_rejects_bad_rows():
    with pytest.raises(ValueError, match="4 tab-separated"):
        Glossary.from_tsv("lift\tonly two")
    with pytest.raises(ValueError, match="unknown parent"):
        Glossary.from_tsv("lift\tnowhere\tlift\t升降機")
