"""Bad requests, one per kind of error a service answers, and the check that each comes back in
Chinese when the reader asks for it (tests/component/test_error_language.py sends them)."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import jwt

from innoportal.i18n import has_chinese

from .conftest import TEST_SECRET, bearer

NOTHING: Any = object()
LONG = "字" * 201


@dataclass(frozen=True)
class Bad:
    """One bad request and the status it must answer."""

    method: str
    path: str
    status: int
    json: Any = NOTHING
    content: bytes | Callable[[], AsyncIterator[bytes]] | None = None  # a callable: streamed
    headers: dict[str, str] = field(default_factory=dict)
    volatile: bool = False  # its message names the current time: two answers may differ


def post(path: str, status: int, body: Any = NOTHING, *, role: str | None = "emsd",
         org: str = "EMSD", **kwargs: Any) -> Bad:
    """A POST as `role` at `org` (no token when role is None)."""
    headers = {**(bearer(role, org) if role else {}), **kwargs.pop("headers", {})}
    return Bad("POST", path, status, json=body, headers=headers, **kwargs)


def get(path: str, status: int, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Bad:
    """A GET (links of the notifier ask for JSON)."""
    return Bad("GET", path, status, headers={"Accept": "application/json", **(headers or {})},
               **kwargs)


async def send(client: httpx.AsyncClient, bad: Bad, language: str | None) -> httpx.Response:
    """Send `bad` with Accept-Language `language` (none when None)."""
    headers = dict(bad.headers)
    if language:
        headers["Accept-Language"] = language
    kwargs: dict[str, Any] = {"headers": headers}
    if bad.json is not NOTHING:
        kwargs["json"] = bad.json
    if bad.content is not None:
        kwargs["content"] = bad.content() if callable(bad.content) else bad.content
    return await client.request(bad.method, bad.path, **kwargs)


def pairs(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, type) of each error of an answer."""
    return [(e["field"], e["type"]) for e in body["errors"]]


async def check(client: httpx.AsyncClient, bad: Bad) -> list[dict[str, str]]:
    """Send `bad` in English, in Chinese and with no language; the Chinese errors.

    The answers agree on status, fields, types and any other key; the Chinese one says every
    message (and its detail) in Chinese, the English one is what no Accept-Language gets.
    """
    zh = await send(client, bad, "zh-HK")
    en = await send(client, bad, "en")
    plain = await send(client, bad, None)
    where = f"{bad.method} {bad.path}: {zh.status_code} {zh.text}"
    assert zh.status_code == en.status_code == plain.status_code == bad.status, where
    assert zh.headers["content-language"] == "zh-HK", where
    assert en.headers["content-language"] == plain.headers["content-language"] == "en", where
    zh_body, en_body = zh.json(), en.json()
    assert pairs(zh_body) == pairs(en_body) and zh_body["errors"], where
    assert set(zh_body) == set(en_body), where
    for key in set(en_body) - {"detail", "errors"}:
        assert zh_body[key] == en_body[key], where
    if not bad.volatile:
        assert plain.content == en.content, where
    untranslated = [e for e in zh_body["errors"] if not has_chinese(e["message"])]
    assert not untranslated, f"{where}\nno Chinese for: {untranslated}"
    assert has_chinese(zh_body["detail"]), where
    return zh_body["errors"]


def request_errors(collection: str, role: str, valid: dict[str, Any]) -> list[Bad]:
    """Errors every write endpoint shares: tokens, roles, JSON, media type, size, kernel fields."""
    path = f"/v1/{collection}"
    JSON = {"Content-Type": "application/json"}  # noqa: N806
    other = "provider" if role != "provider" else "department"
    big = b'{"title_en": "' + b"x" * 70_000 + b'"}'

    async def chunks():
        yield big

    def signed(**claims: Any) -> dict[str, str]:
        token = jwt.encode({"iss": "innoportal", "iat": 0, **claims}, TEST_SECRET,
                           algorithm="HS256")
        return {"Authorization": f"Bearer {token}"}

    return [
        post(path, 401, valid, role=None),
        post(path, 401, valid, role=None, headers={"Authorization": "Basic abc"}),
        post(path, 401, valid, role=None, headers={"Authorization": "Bearer abc"}),
        post(path, 401, valid, role=None, headers={"Authorization": "Bearer a.b.c"}),
        post(path, 401, valid, role=None,
             headers=bearer(role, secret="another-secret-that-is-long-enough-0123456789")),
        post(path, 401, valid, role=None, headers=bearer(role, ttl=timedelta(hours=-1))),
        post(path, 401, valid, role=None, headers=signed(role=role, org="EMSD")),
        post(path, 401, valid, role=None, headers=signed(role="admin", org="EMSD", exp=2**40)),
        post(path, 403, valid, role=other),
        post(path, 422, {}, role=role),
        post(path, 422, None, role=role),
        post(path, 422, [], role=role),
        post(path, 400, role=role, content=b'{"title_en": ', headers=JSON),
        post(path, 415, role=role, content=b"title_en=x", headers={"Content-Type": "text/plain"}),
        post(path, 413, role=role, content=big, headers=JSON),
        post(path, 413, role=role, content=chunks, headers=JSON),
        Bad("DELETE", path, 405),
        Bad("GET", f"{path}/nothing/here", 404),
    ]


def owner_filter_errors(collection: str) -> list[Bad]:
    """The owner_org filter of a workspace's list of wishes or solutions."""
    path = f"/v1/{collection}"
    return [get(f"{path}?owner_org={'x' * 101}", 422), get(f"{path}?owner_org=EMSD%00", 422),
            get(f"{path}?owner_org=", 422)]


def workspace_trial_errors(running: str, planned: str, venue: str) -> list[Bad]:
    """Plain dates, KPI aggregates, batches of measurements and party_org of the trials API;
    `running` and `planned` are trial paths, their one KPI 'Energy saved' (the mean)."""
    kpi = {"name": "Energy saved", "unit": "kWh/day", "baseline": 0, "target": 12,
           "direction": "increase"}
    body = {"match_id": "m-free", "venue_id": venue, "kpis": [kpi]}
    reading = {"kpi": "Energy saved", "value": 1}
    many = {"items": [reading] * 1001}
    huge = {"items": [{**reading, "pad": "x" * 2000}] * 600}
    bad_items = [reading, {"kpi": "Nope", "value": 1}, {"kpi": "Energy saved", "value": "1"},
                 7, {"kpi": "Energy saved", "value": 1, "measured_at": "2027-01-01T00:00:00"},
                 {"kpi": "Energy saved", "value": 1e16, "measured_at": "2999-01-01T00:00:00Z"}]
    return [
        post("/v1/trials", 422, {**body, "planned_start": "2026-02-30",
                                 "planned_end": "3000-01-01"}),
        post("/v1/trials", 422, {**body, "planned_start": "2027-01-01", "planned_end": "2027-01-02",
                                 "kpis": [{**kpi, "aggregate": "average"}]}),
        post(f"{running}/amendments", 422, {"reason": "Better.",
                                            "kpis": [{**kpi, "aggregate": "max"}]}),
        post(f"{planned}/amendments", 422, {"reason": "Typo.", "planned_end": "2026-13-01"}),
        post(f"{running}/measurements/batch", 422, {"items": bad_items}, volatile=True),
        post(f"{running}/measurements/batch", 422, {"items": []}),
        post(f"{running}/measurements/batch", 422, many),
        post(f"{running}/measurements/batch", 422, {"items": "many"}),
        post(f"{running}/measurements/batch", 422, {}),
        post(f"{running}/measurements/batch", 413, huge),
        post(f"{running}/measurements/batch", 403, {"items": [reading]}, role="provider",
             org="CUHK"),
        post(f"{running}/measurements/batch", 401, {"items": [reading]}, role=None),
        post(f"{planned}/measurements/batch", 409, {"items": [reading]}),
        post("/v1/trials/t-nowhere/measurements/batch", 404, {"items": [reading]}),
        get(f"/v1/trials?party_org={'x' * 101}", 422),
        get("/v1/trials?party_org=%00", 422),
    ]


def survey_errors(wish_id: str, solution_id: str) -> list[Bad]:
    """The market survey's and the duplicate check's bad requests (the matcher); `wish_id` and
    `solution_id` name records the matcher has stored."""
    return [
        get(f"/v1/survey?q={'x' * 10_000}", 422),
        get("/v1/survey", 422),
        get("/v1/survey?q=%20%20", 422),
        get("/v1/survey?q=lift%01", 422),
        get("/v1/survey?wish_id=w-nowhere", 404),
        get("/v1/survey?solution_id=s-nowhere", 404),
        get("/v1/survey?q=lift&trl_min=0", 422),
        get("/v1/survey?q=lift&trl_min=10&offset=-1", 422),
        get("/v1/survey?q=lift&limit=501&category=lifts&format=xml", 422),
        get(f"/v1/survey?wish_id={wish_id}&q=lift", 422),
        get(f"/v1/survey?wish_id={wish_id}&solution_id={solution_id}", 422),
        get(f"/v1/survey?solution_id={solution_id}&trl_min=5", 422),
        post("/v1/similar", 422, {"kind": "wish"}, role=None),
        post("/v1/similar", 422, {"kind": "solution", "title_en": " ", "description_zh": ""},
             role=None),
        post("/v1/similar", 422, {"kind": "venue", "title_en": "x" * 201,
                                  "description_zh": "字" * 10_001, "categories": ["lifts"],
                                  "limit": 0}, role=None),
        post("/v1/similar", 422, [], role=None),
    ]
