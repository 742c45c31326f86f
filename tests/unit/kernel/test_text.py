"""Bilingual text analysis: English stems without stop words, Chinese bigrams, one script, full width."""

import pytest

import unicodedata

from innoportal.text import (
    CONTROLS,
    SPACE_CONTROLS,
    STOP_WORDS,
    analyze,
    fold_chinese,
    has_chinese,
    has_control,
    normalize,
    query_terms,
    stem,
    weighted_terms,
)


def indexed(text: str) -> set[str]:
    return set(analyze(text, index=True))


def finds(query: str, document: str) -> bool:
    """Whether a search for `query` finds `document` (every query term is indexed)."""
    terms = query_terms(query)
    return bool(terms) and set(terms) <= set(weighted_terms([(document, 1.0)]))


# --- English ---------------------------------------------------------------------------------


def test_english_words_are_stemmed_so_inflections_meet():
    assert analyze("Monitoring lifts") == ["monitor", "lift"]
    assert query_terms("monitored lift") == ["monitor", "lift"]
    assert stem("escalators") == stem("escalator")
    assert finds("lift monitor", "Monitoring of passenger lifts")


def test_english_stop_words_are_dropped():
    assert {"the", "and", "of", "for", "a"} <= STOP_WORDS
    assert analyze("the monitoring of the lifts and the escalators") == ["monitor", "lift", "escal"]
    assert query_terms("the and of") == []


def test_possessives_and_contractions_keep_the_word():
    assert analyze("EMSD's lifts") == ["emsd", "lift"]
    assert analyze("EMSD’s lifts") == ["emsd", "lift"]


def test_case_and_digits():
    assert analyze("IoT 5G Sensors") == ["iot", "5g", "sensor"]


# --- Chinese ---------------------------------------------------------------------------------


def test_documents_index_chinese_bigrams_and_characters():
    assert analyze("升降機", index=True) == ["升降", "降机", "升", "降", "机"]
    assert indexed("電梯") == {"电梯", "电", "梯"}


def test_a_chinese_query_finds_chinese_text():
    document = "預測升降機故障，減少乘客被困"
    assert finds("升降機", document)
    assert finds("故障", document)
    assert finds("乘客", document)
    assert not finds("扶手電梯", document)


def test_traditional_and_simplified_fold_to_one_script():
    assert fold_chinese("電梯") == fold_chinese("电梯")
    assert query_terms("電梯") == query_terms("电梯") == ["电梯"]
    assert finds("电梯", "電梯保養")  # a Simplified query finds Traditional text
    assert finds("電梯", "电梯保养")  # and the other way round


def test_a_query_is_segmented_into_words_not_spanning_bigrams():
    terms = query_terms("電梯維修")
    assert terms == ["电梯", "维修"]
    assert "梯维" not in terms  # the bigram across the two words is not asked for
    # So the words are found apart and in any order, as a reader would expect.
    assert finds("電梯維修", "維修工作包括電梯和扶手電梯")
    assert finds("維修電梯", "電梯維修服務")


def test_single_character_query_finds_the_character():
    assert query_terms("電") == ["电"]
    assert finds("電", "供電系統")


def test_has_chinese():
    assert has_chinese("Lift 升降機")
    assert not has_chinese("Lift monitoring 123")


def test_ideographs_beyond_the_basic_plane_are_chinese():
    # 𨋢 (U+282E2, Cantonese for a lift) is in Extension B; 𰀀 (U+30000) in Extension G.
    assert has_chinese("𨋢") and has_chinese("\U00030000") and has_chinese("\U0003134f")
    assert indexed("𨋢")
    assert finds("𨋢", "舊式𨋢門") and finds("𨋢門", "舊式𨋢門")
    assert not finds("𨋢", "升降機")


# --- mixed and normalised --------------------------------------------------------------------


def test_mixed_languages_in_one_query():
    assert query_terms("智能電梯 AI lifts") == ["智能", "电梯", "ai", "lift"]
    assert finds("AI 電梯", "人工智能 (AI) 電梯監測")


def test_full_width_forms_are_normalised():
    assert normalize("ＡＢＣ１２３") == "abc123"
    assert analyze("ＬＩＦＴＳ") == ["lift"]
    assert query_terms("５Ｇ 通訊") == ["5g", "通讯"]
    assert finds("Ｌｉｆｔ", "Lift monitoring")
    assert finds("lift", "ＬＩＦＴ ＭＯＮＩＴＯＲＩＮＧ")


def test_chinese_punctuation_separates_words():
    assert analyze("電梯，維修", index=True) == analyze("電梯", index=True) + analyze("維修", index=True)


@pytest.mark.parametrize("empty", [None, "", "   ", "!!!", "，。"])
def test_nothing_to_search(empty):
    assert analyze(empty) == []
    assert query_terms(empty) == []


def test_query_terms_are_distinct_and_ordered():
    assert query_terms("lift lifts LIFT 電梯 电梯") == ["lift", "电梯"]


def test_weighted_terms_add_up_per_field():
    weights = weighted_terms([("Lift monitoring", 3.0), ("lift sensors", 1.0), (None, 5.0)])
    assert weights == {"lift": 4.0, "monitor": 3.0, "sensor": 1.0}
    zh = weighted_terms([("電梯", 3.0), ("电梯保养", 1.0)])
    assert zh["电梯"] == 4.0 and zh["保养"] == 1.0


def test_terms_are_bounded_for_the_term_column():
    long_word = "a" + "b" * 200
    assert all(len(t) <= 64 for t in weighted_terms([(long_word, 1.0)]))
    assert all(len(t) <= 64 for t in query_terms(long_word))
    assert finds(long_word, long_word)


# --- control characters ----------------------------------------------------------------------


def test_controls_are_unicodes_control_characters():
    every_cc = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"}
    assert set(CONTROLS) == every_cc
    assert set(SPACE_CONTROLS) == {c for c in every_cc if c.isspace()}


@pytest.mark.parametrize("text", ["a\x00b", "tab\there", "line\nbreak", "del\x7f", "c1\x85",
                                  "\x9f", "lone \ud800", "\udfff"])
def test_a_control_character_or_lone_surrogate_is_found(text):
    assert has_control(text)


@pytest.mark.parametrize("text", ["", "Lift 升降機 𨋢", "emoji 😀", "\u2028 line separator",
                                  "\ufeff\u200b format characters", "\xa0no-break"])
def test_printable_text_has_no_control(text):
    assert not has_control(text)


def test_allowed_controls_pass():
    assert not has_control("two\nlines\r\n\tindented", allow="\n\r\t")
    assert has_control("form\x0cfeed", allow="\n\r\t")
    # The notifier's rule: white space passes (it is folded into spaces), other controls do not.
    assert not has_control("\t\n\x0b\x0c\r\x1c\x85", allow=SPACE_CONTROLS)
    assert has_control("nul\x00", allow=SPACE_CONTROLS)
    assert has_control("\ud800", allow=SPACE_CONTROLS)
