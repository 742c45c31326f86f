"""A few records in each service before it is fuzzed, and the ids the fuzzer may use: stored
through the service's own API where it has one, else as its consumers store them."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import select

from contracts import MatchDecided, MatchParty, SolutionRecord, WishRecord
from innoportal.runtime import Runtime

from ..conftest import token

DEPARTMENT, PROVIDER = "ArchSD", "HKUST"  # the owners of what is seeded
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
Known = dict[str, list[Any]]
WISH = {"title_en": "Lift fault prediction", "title_zh": "升降機故障預測",
        "description_en": "Predict passenger lift faults before they strand passengers.",
        "description_zh": "在乘客被困之前預測升降機故障。",
        "categories": ["building-services"], "contact_email": "lifts@archsd.gov.hk"}
SOLUTION = {**WISH, "title_en": "AI lift monitoring", "contact_email": "lab@ust.hk", "trl": 6}
KPIS = [{"name": "Energy saved", "unit": "kWh/day", "baseline": 0, "target": 12,
         "direction": "increase", "aggregate": "median"},
        {"name": "Fault rate 故障率", "unit": "%", "baseline": 5, "target": 2,
         "direction": "decrease"}]


def auth(role: str, org: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(role, org)}


async def created(client: httpx.AsyncClient, path: str, body: dict, headers: dict) -> str:
    """POST `body`, expecting 201 (or 200, 202); the new record's id."""
    answer = await client.post(path, json=body, headers=headers)
    assert answer.status_code in (200, 201, 202), (path, answer.text)
    return answer.json().get("id", "")


async def wishes(client: httpx.AsyncClient, runtime: Runtime) -> Known:
    department = auth("department", DEPARTMENT)
    open_id = await created(client, "/v1/wishes", WISH, department)
    closed_id = await created(client, "/v1/wishes", {**WISH, "title_en": "Closed"}, department)
    answer = await client.post(f"/v1/wishes/{closed_id}/close", headers=department)
    assert answer.status_code == 200, answer.text
    return {"wish_id": [open_id, closed_id], "owner_org": [DEPARTMENT]}


async def solutions(client: httpx.AsyncClient, runtime: Runtime) -> Known:
    from services.solutions.models import KnownWish

    async with runtime.db.transaction() as s:  # as the WishPosted and WishClosed consumers do
        s.add_all([KnownWish(id="w-open", status="open"), KnownWish(id="w-closed",
                                                                   status="closed")])
    provider = auth("provider", PROVIDER)
    first = await created(client, "/v1/solutions", {**SOLUTION, "wish_id": "w-open"}, provider)
    second = await created(client, "/v1/solutions", SOLUTION, provider)
    return {"solution_id": [first, second], "wish_id": ["w-open", "w-closed"],
            "owner_org": [PROVIDER]}


def wish_record(wish_id: str) -> WishRecord:
    return WishRecord(id=wish_id, created_at=T0, owner_org=DEPARTMENT, **WISH)


def solution_record(solution_id: str) -> SolutionRecord:
    return SolutionRecord(id=solution_id, created_at=T0, owner_org=PROVIDER, **SOLUTION)


async def matcher(client: httpx.AsyncClient, runtime: Runtime) -> Known:
    from services.matcher.domain import Match, Reason
    from innoportal.uow import UnitOfWork
    from services.matcher.repository.records import upsert_record
    from services.matcher.service.indexing import store_matches
    from services.matcher.models import MatchRow

    reasons = (Reason("glossary", "passenger lift ↔ 升降機", "any", 0.35),)
    pairs = [("w-1", "s-1"), ("w-1", "s-2"), ("w-2", "s-1"), ("w-2", "s-2")]
    async with runtime.db.transaction() as s:  # as the consumers store them
        for wish_id in ("w-1", "w-2"):
            await upsert_record(s, "wish", wish_id, wish_record(wish_id).model_dump_json(),
                                "open")
        for solution_id in ("s-1", "s-2"):
            await upsert_record(s, "solution", solution_id,
                                solution_record(solution_id).model_dump_json(), "open")
        await store_matches(UnitOfWork(s), [Match(w, s_, 0.8, reasons) for w, s_ in pairs])
    await runtime.state.load()  # the index, rebuilt from the tables as at a start
    async with runtime.db.session() as s:
        match_ids = list((await s.exec(select(MatchRow.id))).all())
    return {"match_id": match_ids, "wish_id": ["w-1", "w-2"], "solution_id": ["s-1", "s-2"]}


async def notifier(client: httpx.AsyncClient, runtime: Runtime) -> Known:
    from services.notifier.domain.tokens import issue_token
    from services.notifier.models import Subscription

    body = {"email": "ada@example.org", "categories": ["building-services"],
            "keywords": ["lift"], "language": "en", "frequency": "instant"}
    await created(client, "/v1/subscriptions", body, {"Accept": "application/json"})
    async with runtime.db.session() as s:
        [sub_id] = (await s.exec(select(Subscription.id))).all()
    now = datetime.now(UTC)
    tokens = [issue_token(runtime.secret_key, purpose, "sub:" + sub_id, now)  # type: ignore[arg-type]
              for purpose in ("confirm", "manage", "unsubscribe")]
    return {"token": tokens}


def decided(match_id: str, decision: str = "accepted") -> MatchDecided:
    """EMSD's decision on a match, as the trials service hears it."""
    party = {"title_en": "Lift fault prediction", "title_zh": "升降機故障預測"}
    return MatchDecided(
        occurred_at=T0, match_id=match_id, wish_id=f"w-{match_id}", solution_id=f"s-{match_id}",
        decision=decision, decided_by="EMSD",
        wish=MatchParty(id=f"w-{match_id}", contact_email="w@archsd.gov.hk", owner_org=DEPARTMENT,
                        **party),
        solution=MatchParty(id=f"s-{match_id}", contact_email="s@ust.hk", owner_org=PROVIDER,
                            **party))


async def trials(client: httpx.AsyncClient, runtime: Runtime) -> Known:
    from innoportal.uow import unit_of_work
    from services.trials import service

    matches = ["m-planned", "m-running", "m-completed", "m-terminated", "m-free", "m-rejected"]
    async with unit_of_work(runtime.db) as uow:  # as the MatchDecided consumer does
        for match_id in matches:
            decision = "rejected" if match_id == "m-rejected" else "accepted"
            await service.record_match_decision(uow, decided(match_id, decision))
    emsd = auth("emsd", "EMSD")
    venue = await created(client, "/v1/venues", {
        "name_en": "Shared lab", "name_zh": "共用實驗室", "address": "3 Kai Shing St",
        "owner_department": "EMSD", "concurrent": True}, emsd)
    now = datetime.now(UTC)
    trial_ids = {}
    for n, match_id in enumerate(matches[:4]):
        start, end = now + timedelta(days=40 * n - 1), now + timedelta(days=40 * n + 30)
        trial_ids[match_id] = await created(client, "/v1/trials", {
            "match_id": match_id, "venue_id": venue if n % 2 else "v-emsd-hq",
            "planned_start": start.isoformat(), "planned_end": end.isoformat(), "kpis": KPIS},
            emsd)
    for match_id in matches[1:4]:
        trial = trial_ids[match_id]
        await client.post(f"/v1/trials/{trial}/start", headers=emsd)
        await client.post(f"/v1/trials/{trial}/measurements", headers=emsd, json={
            "kpi": "Energy saved", "value": 7.5, "measured_at": now.isoformat()})
    completed = await client.post(f"/v1/trials/{trial_ids['m-completed']}/complete",
                                  headers=emsd, json={"summary": "Saved energy."})
    assert completed.status_code == 200, completed.text
    terminated = await client.post(f"/v1/trials/{trial_ids['m-terminated']}/terminate",
                                   headers=emsd, json={"reason": "The venue closed."})
    assert terminated.status_code == 200, terminated.text
    return {"trial_id": list(trial_ids.values()), "match_id": matches,
            "venue_id": ["v-emsd-hq", venue], "kpi": ["Energy saved", "Fault rate 故障率"],
            "party_org": [DEPARTMENT, PROVIDER]}
