"""The matcher's index at start: rebuilt from its database, or a snapshot plus the rows after it."""

from contracts import SolutionRecord, WishRecord
from innoportal.db import Database
from services.matcher.adapters.snapshot_file import SnapshotFile
from services.matcher.engine import MatchingIndex
from services.matcher.models import MATCHER_TABLES
from services.matcher.repository.records import upsert_record
from services.matcher.state import MatcherState

from .conftest import T0

LIFT_EN = WishRecord(
    id="w-lift", title_en="Predicting passenger lift breakdowns",
    description_en="Predict faults of passenger lifts before passengers are trapped.",
    categories=["building-services"], contact_email="lifts@housing.gov.hk",
    owner_org="Housing Department", created_at=T0)
LIFT_ZH = SolutionRecord(
    id="s-lift", title_zh="人工智能升降機故障預測平台",
    description_zh="分析升降機控制器數據，以機器學習預測故障，在乘客被困前安排維修。",
    categories=["building-services"], contact_email="lab@hkust.hk", owner_org="HKUST", trl=7,
    created_at=T0)


def state_of(db, path, text_parts) -> MatcherState:
    return MatcherState(db, MatchingIndex(threshold=0.4, top_k=10, **text_parts),
                        SnapshotFile(path))


async def test_a_bad_snapshot_is_ignored_and_a_good_one_restores_the_index(tmp_path, text_parts):
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/matcher.db")
    await db.create_all(MATCHER_TABLES)
    async with db.transaction() as s:
        await upsert_record(s, "wish", "w-lift", LIFT_EN.model_dump_json(), "open")
        closed = LIFT_EN.model_copy(update={"id": "w-closed"})
        await upsert_record(s, "wish", "w-closed", closed.model_dump_json(), "open")
    async with db.transaction() as s:
        await upsert_record(s, "wish", "w-closed", "", "closed")  # its WishClosed: payload kept
    path = tmp_path / "matcher-index.snapshot"
    path.write_bytes(b"not a snapshot")
    try:
        never_loaded = state_of(db, path, text_parts)
        await never_loaded.save_snapshot()  # a state that never loaded must not overwrite it
        assert path.read_bytes() == b"not a snapshot"

        rebuilt = state_of(db, path, text_parts)
        await rebuilt.load()
        assert not rebuilt.from_snapshot and rebuilt.replayed == 2
        assert rebuilt.matcher.stats()["wishes_open"] == 1
        assert rebuilt.matcher.closed == {"w-closed"}
        await rebuilt.save_snapshot()

        restored = state_of(db, path, text_parts)
        await restored.load()
        assert restored.from_snapshot and restored.replayed == 1  # the row at the watermark
        assert restored.matcher.closed == {"w-closed"}
        [match] = restored.matcher.rank_solution(LIFT_ZH)
        assert (match.wish_id, match.solution_id) == ("w-lift", "s-lift") and match.score >= 0.4
    finally:
        await db.dispose()
