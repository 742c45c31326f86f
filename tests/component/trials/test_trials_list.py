"""GET /v1/trials: each entry as GET /v1/trials/{id} answers it, party_org= for a workspace, and
the same two queries whatever the page size."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from contracts import MatchParty
from innoportal.uow import unit_of_work
from services.trials import service

from ..conftest import error_fields
from .conftest import decided
from .test_api import EMSD, PROVIDER, at, plan

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
# match id → (the wish's department, the solution's provider)
PARTIES = {"m-1": ("ArchSD", "HKUST"), "m-2": ("WSD", "HKUST"), "m-3": ("ArchSD", "CUHK"),
           "m-4": ("WSD", "Rival Robotics Ltd")}


async def accept(svc, match_id: str) -> None:
    department, provider = PARTIES[match_id]
    event_ = decided(match_id, provider=provider)
    wish = MatchParty(id=f"w-{match_id}", title_en="A wish", contact_email="w@gov.hk",
                      owner_org=department)
    async with unit_of_work(svc.runtime.db) as uow:
        await service.record_match_decision(uow, event_.model_copy(update={"wish": wish}))


async def post(svc, path: str, body=None, headers=EMSD) -> dict:
    answer = await svc.client.post(path, json=body, headers=headers)
    assert answer.status_code < 300, answer.text
    return answer.json()


async def four_trials(svc) -> dict[str, str]:
    """m-1 completed (amended, with a report), m-2 running, m-3 planned, m-4 terminated."""
    now = datetime.now(UTC)
    venue = await post(svc, "/v1/venues", {"name_en": "Annex", "name_zh": "附翼", "address": "1 St",
                                           "owner_department": "EMSD", "concurrent": True})
    ids = {}
    for match_id in PARTIES:
        await accept(svc, match_id)
        body = plan(match_id, now - HOUR, now + 30 * DAY, venue_id=venue["id"])
        ids[match_id] = (await post(svc, "/v1/trials", body))["id"]
    for match_id in ("m-1", "m-2"):
        await post(svc, f"/v1/trials/{ids[match_id]}/start")
    t1 = f"/v1/trials/{ids['m-1']}"
    await post(svc, f"{t1}/measurements", {"kpi": "Energy saved", "value": 13}, PROVIDER)
    await post(svc, f"{t1}/amendments", {"reason": "Longer", "planned_end": at(now + 40 * DAY)})
    await post(svc, f"{t1}/complete", {"summary": "Done."})
    await post(svc, f"{t1}/report/corrections", {"reason": "Typo", "summary": "Done!"})
    await post(svc, f"/v1/trials/{ids['m-4']}/terminate", {"reason": "Withdrawn."})
    return ids


async def listed(svc, **params) -> dict:
    answer = await svc.client.get("/v1/trials", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


@contextmanager
def statements(svc):
    """The SQL statements the service runs meanwhile."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = svc.runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_each_entry_is_what_get_answers_for_the_trial(api_db):
    ids = await four_trials(api_db)
    page = await listed(api_db)
    assert page["total"] == 4 and [t["match_id"] for t in page["items"]] == [
        "m-4", "m-3", "m-2", "m-1"]
    for entry in page["items"]:
        assert entry == (await api_db.client.get(f"/v1/trials/{entry['id']}")).json()
    done = page["items"][-1]
    assert (done["id"], done["report"]["version"], len(done["amendments"])) == (ids["m-1"], 2, 1)
    assert done["measurement_count"] == 1 and done["venue"]["name_en"] == "Annex"
    assert [t["to"] for t in done["transitions"]] == ["planned", "running", "completed"]


async def test_party_org_lists_the_trials_of_either_side(api_db):
    ids = await four_trials(api_db)

    async def matches(**params) -> list[str]:
        return [t["match_id"] for t in (await listed(api_db, **params))["items"]]

    assert await matches(party_org="HKUST") == ["m-2", "m-1"]  # its solutions
    assert await matches(party_org="ArchSD") == ["m-3", "m-1"]  # its wishes
    assert await matches(party_org="WSD", state="terminated") == ["m-4"]
    assert await matches(party_org="Rival Robotics Ltd", state="running") == []
    assert await matches(party_org="hkust") == [] and await matches(party_org="EMSD") == []
    page = await listed(api_db, party_org="HKUST", limit=1, offset=1)
    assert ([t["id"] for t in page["items"]], page["total"]) == ([ids["m-1"]], 2)
    past = await listed(api_db, party_org="HKUST", offset=5)
    assert (past["items"], past["total"]) == ([], 2)


async def test_the_list_runs_two_queries_whatever_the_page_size(api_db):
    await four_trials(api_db)
    counts = {}
    for limit in (1, 4, 20):
        with statements(api_db) as seen:
            assert len((await listed(api_db, limit=limit))["items"]) == min(limit, 4)
        counts[limit] = len(seen)
    assert counts[1] == counts[4] == counts[20] <= 2, counts
    with statements(api_db) as seen:
        assert (await listed(api_db, party_org="Nobody"))["total"] == 0
    assert len(seen) == 1


async def test_a_bad_party_org_answers_422_naming_it(api):
    for bad in ("x" * 101, "HKUST\x00", ""):
        answer = await api.client.get("/v1/trials", params={"party_org": bad})
        assert answer.status_code == 422 and error_fields(answer) == ["party_org"], answer.text
