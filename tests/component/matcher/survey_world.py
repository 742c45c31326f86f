"""A small bilingual world for the survey and duplicate tests: records stored as the matcher's
consumers store them, then the index rebuilt from its tables as at a start."""

from contracts import SolutionRecord, WishRecord
from services.matcher.repository.records import upsert_record

from .conftest import T0

SOLUTIONS = {
    "s-lift-zh": dict(  # Chinese only: the answer to w-lift, across languages
        title_zh="人工智能升降機故障預測平台",
        description_zh="分析升降機控制器的運行數據，以機器學習預測故障，在乘客被困前安排維修。",
        categories=["ai-data-analytics", "building-services"], owner_org="香港科技大學", trl=7),
    "s-lift-en": dict(
        title_en="Door sensors for passenger lifts",
        description_en="Sensors on passenger lift doors detect faults and predict breakdowns.",
        categories=["building-services", "iot-sensors"], owner_org="LiftSense Ltd", trl=5),
    "s-hoist-en": dict(  # shares lifting words with w-lift, solves another problem
        title_en="Hoisting robot for curtain wall installation",
        description_en="A tracked robot lifts and positions heavy glass panels on building "
                       "sites, replacing manual rigging and hoisting.",
        categories=["robotics-automation", "construction-tech"], owner_org="Robo Lift Ltd",
        trl=6),
    "s-docs-en": dict(
        title_en="AI document screening for application vetting",
        description_en="Reads scanned application forms with OCR, screens them against the "
                       "rules and highlights missing information.",
        categories=["ai-data-analytics", "fintech-govtech"], owner_org="DocuAI Ltd", trl=8),
    "s-hostile": dict(  # a title a spreadsheet would run, were it not neutralised
        title_en='=HYPERLINK("http://evil.example","lift fault alarm")',
        description_en="Alarms for passenger lift faults, sent to the maintenance contractor.",
        categories=["building-services"], owner_org="-Evil Co", trl=4),
}
WISHES = {
    "w-lift": dict(  # English only
        title_en="Predicting passenger lift breakdowns",
        description_en="Predict faults of passenger lifts in housing estates before passengers "
                       "are trapped, using controller data and sensors.",
        categories=["building-services", "ai-data-analytics"], owner_org="Housing Department"),
    "w-docs": dict(  # Chinese only
        title_zh="牌照申請文件審查自動化",
        description_zh="以人工智能自動審查申請表及證明文件，找出資料不全之處，加快審批。",
        categories=["fintech-govtech", "ai-data-analytics"], owner_org="運輸署"),
    "w-lift-closed": dict(  # closed: surveyed by its owner still, never offered as a duplicate
        title_en="Lift fault prediction in markets",
        description_en="Predict passenger lift faults in public markets before breakdowns.",
        categories=["building-services"], owner_org="FEHD"),
}


def solution(solution_id: str) -> SolutionRecord:
    """A solution of the world, as SolutionSubmitted carries it."""
    return SolutionRecord(id=solution_id, contact_email=f"{solution_id}@provider.hk",
                          created_at=T0, **SOLUTIONS[solution_id])


def wish(wish_id: str) -> WishRecord:
    """A wish of the world, as WishPosted carries it."""
    return WishRecord(id=wish_id, contact_email=f"{wish_id}@dept.gov.hk", created_at=T0,
                      **WISHES[wish_id])


async def seed_world(svc) -> None:
    """Store every record (the closed wish closed), then rebuild the index from the tables."""
    async with svc.runtime.db.transaction() as s:
        for solution_id in SOLUTIONS:
            await upsert_record(s, "solution", solution_id,
                                solution(solution_id).model_dump_json(), "open")
        for wish_id in WISHES:
            status = "closed" if wish_id.endswith("closed") else "open"
            await upsert_record(s, "wish", wish_id, wish(wish_id).model_dump_json(), status)
    await svc.runtime.state.load()
