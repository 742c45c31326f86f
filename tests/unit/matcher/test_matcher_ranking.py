"""Ranking: both directions, across languages, distractors, closed wishes, threshold and top-k."""

import random

import pytest
from matcher_records import SOLUTIONS, WISHES

from services.matcher.domain import MatchConfig, Matcher


def ids(matches, attr="solution_id"):
    return [getattr(m, attr) for m in matches]


def scores_of(matcher, wish):
    return {m.solution_id: m.score for m in matcher.rank_wish(wish, threshold=0.0, top_k=50)}


def test_english_wish_finds_chinese_only_solution(matcher):
    found = matcher.rank_wish(WISHES["w-lift"])
    assert ids(found)[0] == "s-lift-zh"
    top = found[0]
    assert matcher.config.threshold <= top.score <= 1.0
    glossary = [r for r in top.reasons if r.kind == "glossary"]
    lift = [r for r in glossary if "升降機" in r.value]
    # "passenger lift ↔ 升降機": the wish's words beside the solution's
    assert lift and lift[0].language == "any" and "lift" in lift[0].value
    assert {r.value for r in top.reasons if r.kind == "category"} == {
        "building-services", "ai-data-analytics"}


def test_chinese_wish_finds_english_only_solution(matcher):
    found = matcher.rank_wish(WISHES["w-docs"])
    assert ids(found)[0] == "s-docs-en"
    found = matcher.rank_wish(WISHES["w-hoist"])
    assert ids(found)[0] == "s-hoist-en"


def test_new_solution_is_ranked_against_open_wishes(matcher):
    found = matcher.rank_solution(SOLUTIONS["s-fever-zh"])
    assert ids(found, "wish_id")[0] == "w-fever"
    assert all(m.solution_id == "s-fever-zh" for m in found)
    assert ids(matcher.rank_solution(SOLUTIONS["s-bike-en"]), "wish_id")[0] == "w-bike"


@pytest.mark.parametrize(
    "wish, right, wrong",
    [
        ("w-lift", "s-lift-zh", "s-hoist-en"),  # passenger lifts vs a hoisting robot
        ("w-hoist", "s-hoist-en", "s-lift-zh"),
        ("w-fever", "s-fever-zh", "s-docs-en"),  # fever screening vs document screening
        ("w-docs", "s-docs-en", "s-fever-zh"),
        ("w-carpark", "s-carpark-zh", "s-bike-en"),  # car parks vs bicycle parking
        ("w-bike", "s-bike-en", "s-carpark-zh"),
    ],
)
def test_distractors_sharing_words_stay_below_the_threshold(matcher, wish, right, wrong):
    scores = scores_of(matcher, WISHES[wish])
    assert scores[right] >= matcher.config.threshold
    assert scores.get(wrong, 0.0) < matcher.config.threshold
    assert scores.get(wrong, 0.0) < scores[right] / 2
    assert wrong not in ids(matcher.rank_wish(WISHES[wish]))


def test_closed_wish_is_no_longer_matched_even_if_posted_again(matcher):
    assert "w-lift" in ids(matcher.rank_solution(SOLUTIONS["s-lift-zh"]), "wish_id")
    assert matcher.close_wish("w-lift") is True
    assert "w-lift" not in ids(matcher.rank_solution(SOLUTIONS["s-lift-zh"]), "wish_id")
    assert matcher.add_wish(WISHES["w-lift"]) is False  # a redelivered WishPosted
    assert "w-lift" not in ids(matcher.rank_solution(SOLUTIONS["s-lift-zh"]), "wish_id")
    assert matcher.rank_wish(WISHES["w-lift"]) == []
    assert matcher.close_wish("w-lift") is False
    assert matcher.add_wish({**WISHES["w-bike"], "id": "w-x", "status": "closed"}) is False
    assert "w-x" not in ids(matcher.rank_solution(SOLUTIONS["s-bike-en"]), "wish_id")


BROAD = dict(id="w-broad", title_en="Sensors for lifts, car parks, bicycle parking and noise",
             categories=["iot-sensors"])


def test_threshold_top_k_and_exclude(matcher):
    everything = matcher.rank_wish(BROAD, threshold=0.0, top_k=50)
    assert len(everything) >= 4
    assert [m.score for m in everything] == sorted((m.score for m in everything), reverse=True)
    assert all(0.0 < m.score <= 1.0 for m in everything)
    assert ids(matcher.rank_wish(BROAD, threshold=0.0, top_k=2)) == ids(everything)[:2]
    assert matcher.rank_wish(BROAD, threshold=0.999) == []
    assert matcher.rank_wish(BROAD, top_k=0) == []
    skip = ids(everything)[0]
    rest = matcher.rank_wish(BROAD, threshold=0.0, exclude=[skip])
    assert ids(rest) == ids(everything)[1:11]
    middle = everything[2].score
    assert ids(matcher.rank_wish(BROAD, threshold=middle)) == [
        m.solution_id for m in everything if m.score >= middle]


def test_categories_alone_never_make_a_match(analyzer):
    m = Matcher(analyzer=analyzer)
    m.add_solution(dict(id="s1", title_en="Hydrogen fuel cells", categories=["smart-mobility"]))
    wish = dict(id="w1", title_en="Vacant space detection", categories=["smart-mobility"])
    assert m.rank_wish(wish, threshold=0.0) == []
    m.add_solution(dict(id="s2", title_en="Vacancy signs", categories=["energy-storage"]))
    assert [x.solution_id for x in m.rank_wish(wish, threshold=0.0)] == ["s2"]


def test_reasons_share_out_the_score_in_the_language_they_matched(matcher):
    found = matcher.rank_solution(SOLUTIONS["s-bike-en"], threshold=0.0, top_k=10)
    for match in found:
        if len(match.reasons) < matcher.config.max_reasons:
            assert sum(r.weight for r in match.reasons) == pytest.approx(match.score, abs=0.003)
    same_language = matcher.rank_wish(
        dict(id="w-zh", title_zh="單車泊位監測", categories=["smart-mobility"]), threshold=0.0)
    bike = next(m for m in same_language if m.solution_id == "s-bike-en")
    assert any(r.kind == "glossary" and r.language == "any" and "單車泊位" in r.value
               for r in bike.reasons)
    zh_pair = matcher.score_pair(dict(id="w-zh", title_zh="單車泊位監測", categories=[]),
                                 dict(id="s-zh", title_zh="單車泊位實時監測", categories=[]))
    terms = {(r.value, r.language) for r in zh_pair.reasons if r.kind == "term"}
    assert ("監測", "zh") in terms  # as the wish wrote it, not the folded 监测
    assert ("單車泊位", "zh") in {(r.value, r.language) for r in zh_pair.reasons}


def test_replacing_and_removing_a_solution(matcher):
    matcher.add_solution({**SOLUTIONS["s-carpark-zh"], "title_zh": "停車場車位偵測"})
    assert ids(matcher.rank_wish(WISHES["w-carpark"])).count("s-carpark-zh") == 1
    assert matcher.remove_solution("s-carpark-zh") is True
    assert "s-carpark-zh" not in ids(matcher.rank_wish(WISHES["w-carpark"], threshold=0.0))
    assert matcher.remove_solution("s-carpark-zh") is False
    assert matcher.stats()["solutions"] == len(SOLUTIONS) - 1


def corpus(n, seed=3):
    rng = random.Random(seed)
    words = ["lift", "chiller", "robot", "parking", "sensor", "drone", "fever", "solar", "leak",
             "noise", "battery", "crane", "toilet", "lighting", "camera", "pump", "bicycle"]
    zh = ["升降機", "冷水機", "機械人", "停車場", "感應器", "無人機", "發燒", "太陽能", "漏水"]
    cats = ["building-services", "smart-mobility", "iot-sensors", "healthcare-tech"]
    out = []
    for i in range(n):
        rec = dict(id=f"s{i}", categories=rng.sample(cats, rng.randint(1, 2)))
        if rng.random() < 0.6:
            rec["title_en"] = " ".join(rng.sample(words, 3))
        if rng.random() < 0.6 or "title_en" not in rec:
            rec["title_zh"] = "".join(rng.sample(zh, 2))
        out.append(rec)
    return out


def test_index_gives_the_brute_force_ranking_also_after_compaction(analyzer):
    m = Matcher(MatchConfig(top_k=15), analyzer=analyzer)
    for rec in corpus(1500):
        m.add_solution(rec)
    for i in range(0, 1500, 2):
        m.remove_solution(f"s{i}")  # enough removals to trigger a compaction
    assert len(m.solutions.ids) < 1500  # compacted
    wishes = [dict(id="w1", title_en="lift sensor camera", categories=["building-services"]),
              dict(id="w2", title_zh="停車場感應器", categories=["smart-mobility"]),
              dict(id="w3", title_en="parking drone", title_zh="無人機停車場", categories=[])]
    for w in wishes:
        fast = m.rank_wish(w, threshold=0.1)
        slow = m.brute_force_rank_wish(w, threshold=0.1)
        assert fast and ids(fast) == ids(slow)
        assert [x.score for x in fast] == pytest.approx([x.score for x in slow], abs=1e-4)
        assert all(int(x.solution_id[1:]) % 2 == 1 for x in fast)


def test_add_and_rank_in_one_call_for_the_handlers(analyzer):
    m = Matcher(analyzer=analyzer)
    assert m.add_and_rank_solution(SOLUTIONS["s-fever-zh"]) == []  # no open wish yet
    found = m.add_and_rank_wish(WISHES["w-fever"])
    assert ids(found) == ["s-fever-zh"]
    again = m.add_and_rank_wish(WISHES["w-fever"])  # redelivered: same pairs, still one wish
    assert ids(again) == ["s-fever-zh"] and m.stats()["wishes_open"] == 1
    assert ids(m.add_and_rank_solution(SOLUTIONS["s-docs-en"]), "wish_id") == []
    m.close_wish("w-fever")
    assert m.add_and_rank_wish(WISHES["w-fever"]) == []
    assert m.add_and_rank_solution(SOLUTIONS["s-fever-zh"]) == []


def test_contract_records_are_accepted(analyzer):
    from datetime import datetime, timezone

    from contracts.matching import MatchReason
    from contracts.solutions import SolutionRecord
    from contracts.wishes import WishRecord

    now = datetime.now(timezone.utc)
    m = Matcher(analyzer=analyzer)
    m.add_solution(SolutionRecord(**SOLUTIONS["s-carpark-zh"], contact_email="a@b.hk",
                                  owner_org="HKU", created_at=now))
    wish = WishRecord(**WISHES["w-carpark"], contact_email="c@d.hk", owner_org="EMSD",
                      created_at=now)
    found = m.add_and_rank_wish(wish)
    assert ids(found) == ["s-carpark-zh"]
    reasons = [MatchReason(**r.as_dict()) for r in found[0].reasons]
    assert {r.kind for r in reasons} >= {"glossary", "category"}
