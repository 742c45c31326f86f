"""Bilingual keyword matching and one alert per subscriber per item."""

from services.notifier.domain import Candidate, Item, keyword_key, select_recipients

WISH = Item.of("wish:w-1", ["building-services"], [
    "Lift fault prediction", "升降機故障預測", "Monitoring lifts with 5G sensors.", None])


def cand(sid, email, categories=(), keywords=(), frequency="instant"):
    return Candidate(sid, email, "en", frequency, frozenset(categories),
                     tuple(keyword_key(k) for k in keywords))


def test_three_matching_rules_make_one_alert_with_every_reason():
    alerts = select_recipients(WISH, [cand("s1", "a@x.hk", ["building-services"], ["lift", "升降機"])])
    assert len(alerts) == 1
    assert alerts[0].reasons() == {"categories": ["building-services"], "keywords": ["lift", "升降機"]}


def test_two_subscriptions_of_one_address_still_make_one_alert():
    alerts = select_recipients(WISH, [cand("s1", "a@x.hk", ["building-services"]),
                                      cand("s2", "A@X.hk", keywords=["sensor"])])
    assert len(alerts) == 1 and alerts[0].also == ("s2",)
    assert alerts[0].keywords == ("sensor",)


def test_traditional_and_simplified_chinese_fold_together():
    for kw in ("升降机", "升降機", "故障预测", "預測"):
        assert select_recipients(WISH, [cand("s", "a@x.hk", keywords=[kw])]), kw


def test_english_words_match_by_stem_and_phrases_in_order():
    assert select_recipients(WISH, [cand("s", "a@x.hk", keywords=["Sensors"])])
    assert select_recipients(WISH, [cand("s", "a@x.hk", keywords=["lift fault"])])
    assert select_recipients(WISH, [cand("s", "a@x.hk", keywords=["5g"])])
    assert not select_recipients(WISH, [cand("s", "a@x.hk", keywords=["fault lift"])])
    assert not select_recipients(WISH, [cand("s", "a@x.hk", keywords=["escalator"])])


def test_a_phrase_never_spans_two_fields():
    item = Item.of("w", [], ["ends with lift", "fault starts here"])
    assert not select_recipients(item, [cand("s", "a@x.hk", keywords=["lift fault"])])


def test_no_rule_matching_means_no_alert():
    assert select_recipients(WISH, [cand("s", "a@x.hk", ["fintech-govtech"], ["blockchain"])]) == []


def test_keyword_anchor_is_an_index_term_of_every_item_that_contains_it():
    for kw in ("lift fault", "升降機", "5G sensors", "故障"):
        key = keyword_key(kw)
        assert key is not None and key.anchor in WISH.lookup_terms(), kw


def test_cantonese_characters_outside_the_basic_plane_match():
    item = Item.of("w", [], ["𨋢槽維修及監測"])
    assert select_recipients(item, [cand("s", "a@x.hk", keywords=["𨋢槽"])])
    assert keyword_key("𨋢槽").anchor in item.lookup_terms()
