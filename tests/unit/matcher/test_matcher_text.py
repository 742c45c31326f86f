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


def test_glossary_rows_may_have_several_parents_and_a_domain_flag():
    g = Glossary.from_tsv(
        "transport\t\ttransport\t運輸\tdomain\n"
        "robot\t\trobot\t機械人\n"
        "logistics\ttransport\tlogistics\t物流\n"
        "delivery-robot\trobot|logistics\tdelivery robot\t送遞機械人\n"
    )
    assert g.concepts["delivery-robot"].parents == ("robot", "logistics")
    assert g.ancestors("delivery-robot") == ["robot", "logistics", "transport"]
    # the domain is an ancestor but a mention of a narrower concept does not count for it
    assert g.inherited("delivery-robot") == [(1, "robot"), (1, "logistics")]
    with pytest.raises(ValueError, match="4 tab-separated"):
        Glossary.from_tsv("lift\t\tlift\t升降機\tbroad")


def test_shipped_glossary_covers_the_trade_in_both_languages_and_scripts():
    g = default_glossary()
    assert len(g.concepts) >= 500
    assert concepts_zh("後備發電機") == ["generator"]
    assert "standby-power" in g.ancestors("generator") and "standby-power" in g.ancestors("ups")
    assert concepts_en("standby power") == ["standby-power"]
    assert concepts_en("free chlorine") == ["chlorination"]
    assert concepts_zh("泳池餘氯") == ["swimming-pool", "chlorination"]
    assert concepts_zh("街市凍房") == ["market", "cold-room"]
    assert concepts_zh("冷库") == ["cold-room"]  # Mainland wording, Simplified script
    assert concepts_zh("困𨋢") == ["entrapment"]  # a Hong Kong character outside the basic block
    assert concepts_zh("充电桩") == ["ev-charging"] and concepts_zh("腳手架") == ["scaffolding"]


def test_glossary_keeps_lookalikes_apart():
    assert concepts_en("fork lift") == ["forklift"]
    assert concepts_en("scissor lift") == ["aerial-work-platform"]
    assert concepts_en("construction hoist") == ["construction-hoist"]
    assert concepts_en("patient hoist") == ["patient-hoist"]
    assert concepts_zh("施工電梯") == ["construction-hoist"]
    assert concepts_zh("火車站") == ["railway"]  # not a fire
    assert concepts_en("current transformer") == ["current-sensing"]  # not a power transformer
    assert concepts_en("sprinkler irrigation") == ["irrigation"]  # not a fire sprinkler
    assert concepts_en("contactless payment") == ["e-payment"]
    assert concepts_en("security screening") == ["metal-detection"]


def test_hyphenated_compounds_meet_solid_ones(analyzer):
    assert "standbi" in keys(analyzer.english("stand-by generator"))
    assert "standbi" in keys(analyzer.english("standby generator"))
    assert "stand" in keys(analyzer.english("stand-by generator"))  # the parts stay too


def test_unknown_chinese_words_fall_back_to_bigrams_within_chinese(analyzer):
    bigrams = [k for k in keys(analyzer.chinese("垃圾站蠅患嚴重")) if k.startswith("~")]
    assert bigrams == ["~蝇患"]  # the segmenter does not know 蠅患; it knows 垃圾站, 嚴重
    assert not [k for k in keys(analyzer.chinese("升降機故障預測")) if k.startswith("~")]
