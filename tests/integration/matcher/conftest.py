"""The matcher on a real nats-server: bilingual records, events published, what came out."""

import json
from datetime import UTC, datetime

import nats
import pytest

from contracts import (
    Event,
    SolutionRecord,
    SolutionSubmitted,
    Subjects,
    WishClosed,
    WishPosted,
    WishRecord,
)
from innoportal.settings import CommonSettings
from innoportal.testing.harness import acked_up_to, eventually, publish_event, stream_messages
from services.matcher.bootstrap import bootstrap
from services.matcher.domain import Matcher
from services.matcher.settings import MatcherSettings

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
CONSUMERS = {
    Subjects.WISH_POSTED: "matcher-wish-posted",
    Subjects.WISH_CLOSED: "matcher-wish-closed",
    Subjects.SOLUTION_SUBMITTED: "matcher-solution-submitted",
    Subjects.TRIAL_STARTED: "matcher-trial-started",
    Subjects.TRIAL_COMPLETED: "matcher-trial-completed",
    Subjects.TRIAL_TERMINATED: "matcher-trial-terminated",
}

WISHES = {
    "w-lift": {  # English only
        "title_en": "Predicting passenger lift breakdowns",
        "description_en": "Predict faults of passenger lifts in housing estates before "
        "passengers are trapped, using controller data and sensors.",
        "categories": ["building-services", "ai-data-analytics"],
        "owner_org": "Housing Department"},
    "w-docs": {  # Chinese only
        "title_zh": "牌照申請文件審查自動化",
        "description_zh": "以人工智能自動審查申請表及證明文件，找出資料不全之處，加快審批。",
        "categories": ["fintech-govtech", "ai-data-analytics"], "owner_org": "運輸署"},
    "w-fever": {
        "title_en": "Fever screening at building entrances",
        "description_en": "Screen visitors for fever quickly and without contact at clinic "
        "entrances during epidemics.",
        "categories": ["healthcare-tech", "public-safety"],
        "owner_org": "Department of Health"},
    "w-carpark": {
        "title_en": "Vacant space detection for multi-storey car parks",
        "description_en": "Drivers circle our car parks looking for a free parking space; show "
        "vacancies at the entrance.",
        "categories": ["smart-mobility", "iot-sensors"], "owner_org": "Transport Department"},
}
SOLUTIONS = {
    "s-lift-zh": {  # Chinese only: solves w-lift
        "title_zh": "人工智能升降機故障預測平台",
        "description_zh": "分析升降機控制器的運行數據，以機器學習預測故障，在乘客被困前安排維修。",
        "categories": ["ai-data-analytics", "building-services"], "owner_org": "香港科技大學"},
    "s-hoist-en": {  # shares lifting words with w-lift, solves another problem
        "title_en": "Hoisting robot for curtain wall installation",
        "description_en": "A tracked robot lifts and positions heavy glass panels on building "
        "sites, replacing manual rigging and hoisting.",
        "categories": ["robotics-automation", "construction-tech"],
        "owner_org": "Robo Lift Ltd"},
    "s-docs-en": {  # English only: solves w-docs
        "title_en": "AI document screening for application vetting",
        "description_en": "Reads scanned application forms with OCR, screens them against the "
        "rules and highlights missing information.",
        "categories": ["ai-data-analytics", "fintech-govtech"], "owner_org": "DocuAI Ltd"},
    "s-fever-zh": {
        "title_zh": "熱成像發燒篩查系統",
        "description_zh": "以紅外線熱像儀同時量度多人體溫，發現發燒人士即時警報，適用於診所入口。",
        "categories": ["healthcare-tech", "public-safety"], "owner_org": "熱感科技有限公司"},
    "s-carpark-en": {
        "title_en": "Car park vacancy sensing and guidance",
        "description_en": "Ultrasonic sensors over each parking space detect vacant spaces; "
        "displays at the car park entrance guide drivers to free spaces.",
        "categories": ["smart-mobility", "iot-sensors"], "owner_org": "ParkSense Ltd"},
}


def email(record_id: str) -> str:
    return f"{record_id}@example.hk"


def wish_posted(wish_id: str) -> WishPosted:
    return WishPosted(wish=WishRecord(id=wish_id, contact_email=email(wish_id), created_at=T0,
                                      **WISHES[wish_id]))


def solution_submitted(solution_id: str) -> SolutionSubmitted:
    return SolutionSubmitted(solution=SolutionRecord(
        id=solution_id, contact_email=email(solution_id), trl=7, created_at=T0,
        **SOLUTIONS[solution_id]))


def wish_closed(wish_id: str) -> WishClosed:
    return WishClosed(wish_id=wish_id, owner_org=WISHES[wish_id]["owner_org"], reason="Done")


@pytest.fixture(scope="session")
def text_parts():
    """The matcher's analyzer and glossary, built once (about a second) for every runtime."""
    matcher = Matcher()
    return {"glossary": matcher.glossary, "analyzer": matcher.analyzer}


@pytest.fixture
def make_runtime(tmp_path, nats_server, text_parts):
    """make_runtime() → a matcher runtime on this test's nats-server, SQLite file and data_dir."""

    def _make():
        common = CommonSettings(nats_url=nats_server.url, data_dir=tmp_path)
        settings = MatcherSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/matcher.db")
        return bootstrap(settings, common=common, **text_parts)

    return _make


publish = publish_event


async def consumer_info(url: str, consumer: str):
    nc = await nats.connect(url)
    try:
        return await nc.jetstream().consumer_info("INNOPORTAL", consumer)
    finally:
        await nc.close()


async def send(url: str, event: Event, msg_id: str | None = None) -> int:
    """Publish and wait until the matcher's consumer has handled (acked) it."""
    seq = await publish(url, event, msg_id)
    await eventually(lambda: acked_up_to(url, CONSUMERS[event.SUBJECT], seq))
    return seq


async def matched(url: str) -> list[tuple[dict, dict]]:
    """Every Matched on the stream: (payload, headers)."""
    return [(json.loads(m.data), m.headers)
            for m in await stream_messages(url, subject=Subjects.MATCH_FOUND)]


async def published_pairs(runtime, url: str) -> list[tuple[str, str]]:
    """The (wish, solution) of every Matched, once the relay has published all it staged."""
    await runtime.relay.drain_once()
    return sorted((p["wish_id"], p["solution_id"]) for p, _ in await matched(url))
