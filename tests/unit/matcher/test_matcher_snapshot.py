"""Snapshots: the index survives a restart as bytes or a file, with its closed wishes and meta."""

import pytest
from matcher_records import SOLUTIONS, WISHES

from services.matcher.domain import MatchConfig, Matcher, SnapshotError


def rankings(m):
    return (
        {w: [(x.solution_id, x.score, x.reasons) for x in m.rank_wish(r, threshold=0.0)]
         for w, r in WISHES.items()},
        {s: [(x.wish_id, x.score) for x in m.rank_solution(r, threshold=0.0)]
         for s, r in SOLUTIONS.items()},
    )


def test_round_trip_keeps_rankings_closed_wishes_and_meta(matcher, analyzer):
    matcher.close_wish("w-fever")
    matcher.remove_solution("s-noise")
    data = matcher.to_bytes(meta={"stream_seq": 41})
    restored = Matcher.from_bytes(data, analyzer=analyzer)
    assert restored.meta == {"stream_seq": 41}
    assert restored.closed == {"w-fever"}
    assert restored.stats() == matcher.stats()
    assert rankings(restored) == rankings(matcher)
    assert restored.add_wish(WISHES["w-fever"]) is False


def test_restored_index_keeps_taking_records(matcher, analyzer):
    restored = Matcher.from_bytes(matcher.to_bytes(), analyzer=analyzer)
    new = dict(id="s-new", title_en="Escalator handrail monitoring sensor",
               categories=["building-services"])
    restored.add_solution(new)
    restored.remove_solution("s-lift-zh")
    found = restored.rank_wish(dict(id="w", title_zh="扶手電梯扶手帶監測", categories=[]))
    assert [x.solution_id for x in found][:1] == ["s-new"]
    assert "s-lift-zh" not in [x.solution_id for x in restored.rank_wish(WISHES["w-lift"])]


def test_file_snapshot_and_new_config(matcher, analyzer, tmp_path):
    path = tmp_path / "matcher.snapshot"
    matcher.save(path, meta={"stream_seq": 7})
    assert not (tmp_path / "matcher.snapshot.tmp").exists()
    strict = Matcher.load(path, analyzer=analyzer, config=MatchConfig(threshold=0.95))
    assert strict.meta == {"stream_seq": 7}
    assert strict.rank_wish(WISHES["w-lift"]) == []
    assert Matcher.load(path, analyzer=analyzer).rank_wish(WISHES["w-lift"])


def test_broken_snapshots_are_refused(matcher, analyzer):
    data = matcher.to_bytes()
    with pytest.raises(SnapshotError):
        Matcher.from_bytes(b"not a snapshot", analyzer=analyzer)
    with pytest.raises(SnapshotError):
        Matcher.from_bytes(data[:-10], analyzer=analyzer)


def test_empty_matcher_round_trips(analyzer):
    restored = Matcher.from_bytes(Matcher(analyzer=analyzer).to_bytes(), analyzer=analyzer)
    assert restored.rank_wish(WISHES["w-lift"]) == []
    assert restored.stats()["solutions"] == 0


def test_snapshot_of_another_glossary_is_refused(matcher, analyzer):
    from services.matcher.domain.glossary import Glossary

    data = matcher.to_bytes()
    other = Glossary.from_tsv("lift\t\tlift|elevator\t升降機")
    with pytest.raises(SnapshotError, match="another glossary"):
        Matcher.from_bytes(data, glossary=other, analyzer=analyzer)
