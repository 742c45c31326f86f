"""A department's wishes and a provider's solutions in the workspace, over the running system:
posting through the forms (field errors in both languages, input kept), my wishes and my
solutions with their matches, decisions and trials, closing a wish, who is refused, and the
services down."""

import html
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from urllib.parse import quote, urlsplit

import httpx
import pytest

from contracts import utcnow
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from innoportal.testing.nats_server import free_port
from innoportal.testing.system import until
from portal.signin import csrf_of, signed_in
from services.portal.adapters.upstream import Upstream
from services.portal.bootstrap import bootstrap, create_app
from services.portal.domain.accounts import SESSION_TTL, digest, new_secret
from services.portal.domain.language import EN, ZH
from services.portal.domain.texts import translate
from services.portal.models import Account, BrowserSession
from services.portal.settings import UPSTREAMS, PortalSettings

pytestmark = pytest.mark.slow

FIELD_ERROR = re.compile(r'<p class="field-error" id="([a-z_]+)-error">([^<]*)</p>')
WISH_ZH = {
    "title_zh": "升降機門故障即時偵測",
    "description_zh": "在升降機門加裝感應器，即時偵測門機故障，預測停機，減少乘客被困。",
    "categories": ["building-services", "iot-sensors"],
    "budget_hkd": "1,500,000",
    "venue_note": "九龍灣政府合署",
}


def unique(text: str) -> str:
    """`text` made unique in the shared stack, so a search finds this test's record alone."""
    return f"{text} {time.time_ns() % 10**9}"


def errors_beside(page: httpx.Response) -> dict[str, str]:
    """Each problem shown beside its field, by field name."""
    return {name: html.unescape(text) for name, text in FIELD_ERROR.findall(page.text)}


def main_of(page: httpx.Response) -> str:
    """The page's main content, unescaped."""
    return html.unescape(page.text.split('<main', 1)[1].split("</main>", 1)[0])


def form_post(client: httpx.Client, form_path: str, data: dict,
              post_path: str = "") -> httpx.Response:
    """Open a form page and send it as a browser does (its CSRF token from the page)."""
    page = client.get(form_path)
    assert page.status_code == 200, page.text[:500]
    return client.post(post_path or urlsplit(form_path).path,
                       data={"csrf_token": csrf_of(page.text), **data})


@pytest.fixture(scope="module")
def department(stack) -> Iterator[httpx.Client]:
    """ArchSD staff, signed in by the emailed link."""
    with signed_in(stack, "x@archsd.gov.hk", "department", "ArchSD") as client:
        client.base_url = stack.portal
        yield client


@pytest.fixture(scope="module")
def provider(stack) -> Iterator[httpx.Client]:
    """A provider (HKUST), signed in by the emailed link."""
    with signed_in(stack, "p@hkust.edu.hk", "provider", "HKUST") as client:
        client.base_url = stack.portal
        yield client


def post_wish(department: httpx.Client, lang: str, **fields) -> httpx.Response:
    """Fill in and send the wish form."""
    return form_post(department, f"/{lang}/my/wishes/new", fields)


def new_wish(stack, department: httpx.Client) -> tuple[str, dict]:
    """A wish of ArchSD's posted in Chinese through the form: its id and what was typed."""
    typed = {**WISH_ZH, "title_zh": unique(WISH_ZH["title_zh"]), "contact_email": "x@archsd.gov.hk"}
    sent = post_wish(department, "zh-hk", **typed)
    assert sent.status_code == 303, sent.text[:2000]
    location = sent.headers["location"]
    assert location.startswith("/zh-hk/my/wishes?posted=w-")
    return location.split("posted=", 1)[1], typed


# Posting a wish, seeing it, closing it

def test_a_department_posts_a_wish_in_chinese_sees_it_in_my_wishes_and_closes_it(stack, department):
    wish_id, typed = new_wish(stack, department)
    stored = httpx.get(f"{stack.url('wishes')}/v1/wishes/{wish_id}", timeout=10,
                       headers=stack.system.auth("department", "ArchSD")).json()
    # Every field as typed; "1,500,000" is a number; the empty English fields are absent.
    assert stored["title_zh"] == typed["title_zh"] and stored["owner_org"] == "ArchSD"
    assert stored["budget_hkd"] == 1_500_000 and stored["venue_note"] == "九龍灣政府合署"
    assert stored["title_en"] is None and stored["closes_on"] is None
    mine = department.get(f"/zh-hk/my/wishes?posted={wish_id}")
    assert mine.status_code == 200
    page = main_of(mine)
    assert translate("myrec.wishes.posted", ZH) in page
    assert f'<a href="/zh-hk/wishes/{wish_id}">{typed["title_zh"]}</a>' in page
    assert "x@archsd.gov.hk" in page and "港幣 1,500,000 元" in page  # the contact, to its owner
    assert f'action="/zh-hk/my/wishes/{wish_id}/close"' in page
    # Closing it, with a reason: a notice, then the wish is closed for everyone.
    closed = form_post(department, "/en/my/wishes", {"reason": "Met by an in-house team",
                                                     "page": "1"},
                       post_path=f"/en/my/wishes/{wish_id}/close")
    assert closed.status_code == 303
    assert closed.headers["location"] == f"/en/my/wishes?page=1&closed={wish_id}"
    after = department.get(closed.headers["location"])
    assert translate("myrec.wishes.closed", EN) in after.text
    assert f'action="/en/my/wishes/{wish_id}/close"' not in after.text
    public = httpx.get(f"{stack.portal}/en/wishes/{wish_id}", timeout=10)
    assert "Reason: Met by an in-house team" in public.text
    # Closing it again: the API's 409, said as a notice.
    again = form_post(department, "/en/my/wishes", {}, post_path=f"/en/my/wishes/{wish_id}/close")
    assert again.status_code == 303 and "already_closed=" in again.headers["location"]
    assert translate("myrec.wishes.already_closed", EN) in department.get(
        again.headers["location"]).text


def test_bad_input_is_beside_its_field_in_both_languages_with_everything_kept(stack, department):
    typed = {"title_zh": "升降機", "description_en": "Doors", "categories": ["building-services"],
             "contact_email": "not-an-address", "budget_hkd": "about a million",
             "closes_on": "2026-02-30", "venue_note": "Kowloon Bay <offices>"}
    for lang, language in (("en", EN), ("zh-hk", ZH)):
        page = post_wish(department, lang, **typed)
        assert page.status_code == 422, page.text[:500]
        # The API's own words for the same body, in the same language, beside each field.
        api = httpx.post(f"{stack.url('wishes')}/v1/wishes", timeout=10, json=typed,
                         headers={**stack.system.auth("department", "ArchSD"),
                                  "Accept-Language": language.tag}).json()
        expected = {}
        for error in api["errors"]:
            expected.setdefault(error["field"].split("[")[0], error["message"])
        shown = errors_beside(page)
        assert set(shown) == set(expected) and {"contact_email", "budget_hkd"} <= set(shown)
        for field, message in expected.items():
            assert message in shown[field], (field, shown[field])
            assert f'<a href="#{field}">' in page.text  # the summary links to the field
        # Everything typed is kept, escaped, in its field.
        assert 'value="升降機"' in page.text and 'value="about a million"' in page.text
        assert 'value="not-an-address"' in page.text and ">Doors</textarea>" in page.text
        assert "Kowloon Bay &lt;offices&gt;</textarea>" in page.text
        assert re.search(r'value="building-services" checked', page.text)
        assert translate("form.errors_title", language) in page.text
        assert f'<html lang="{language.tag}">' in page.text
    # The rule that one language must be complete, once the fields themselves pass.
    page = post_wish(department, "zh-hk", title_en="Lift doors", categories=["building-services"],
                     contact_email="x@archsd.gov.hk")
    assert page.status_code == 422 and "description_en" in errors_beside(page)
    assert "英文" in errors_beside(page)["description_en"]


def test_my_wishes_show_each_match_its_decision_and_trials(stack, department):
    made = stack.scenario
    lift = made.wishes["lift"]
    ids = [w["id"] for w in httpx.get(f"{stack.url('wishes')}/v1/wishes", timeout=10, params={
        "owner_org": "ArchSD", "limit": 100}).json()["items"]]
    page_number = ids.index(lift) // 10 + 1
    page = department.get(f"/en/my/wishes?page={page_number}")
    assert page.status_code == 200
    text = main_of(page)
    assert "lifts@archsd.gov.hk" in text  # the owner sees its contact
    match = httpx.get(f"{stack.url('matcher')}/v1/matches/{made.matches['lift']}",
                      timeout=10).json()
    assert f'href="/en/solutions/{made.solutions["lift"]}"' in text
    assert f"Match score: {round(match['score'] * 100)}%" in text
    assert translate("myrec.decision.accepted", EN) in text and "Worth a field trial" in text
    assert "lab@hkust.edu.hk" in text  # the other party of an accepted match
    assert f'href="/en/trials/{made.trials["completed"]}"' in text
    assert f'href="/en/reports/{made.trials["completed"]}"' in text
    # Beyond the last page, or not a page: a 400 page in the reader's language.
    beyond = department.get("/zh-hk/my/wishes?page=999")
    assert beyond.status_code == 400 and "沒有第 999 頁" in beyond.text
    assert department.get("/en/my/wishes?page=x").status_code == 400


# A provider's solutions

def submit(provider: httpx.Client, form_path: str, **fields) -> httpx.Response:
    """Fill in and send the solution form opened at `form_path`, its hidden fields kept."""
    page = provider.get(form_path)
    assert page.status_code == 200, page.text[:500]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    return provider.post("/en/my/solutions/new", data={**hidden, **fields})


def test_a_provider_submits_from_a_wishs_page_and_to_the_catalogue(stack, department, provider):
    wish_id, _ = new_wish(stack, department)
    wish_page = provider.get(f"/en/wishes/{wish_id}")
    link = f"/en/my/solutions/new?wish_id={wish_id}"
    assert f'href="{link}"' in wish_page.text
    form = provider.get(link)
    assert f'<input type="hidden" name="wish_id" value="{wish_id}">' in form.text
    assert f'href="/en/wishes/{wish_id}">' in form.text and 'value="p@hkust.edu.hk"' in form.text
    title = unique("Lift door fault sensors")
    fields = {"title_zh": "升降機門故障感應系統", "title_en": title,
              "description_zh": "以感應器即時偵測升降機門故障，預測停機。",
              "description_en": "Sensors on lift doors detect door faults and predict breakdowns.",
              "categories": ["building-services", "iot-sensors"],
              "contact_email": "p@hkust.edu.hk", "trl": "7", "website": ""}

    # Solutions hears of a new wish by event: until then it answers that the wish is not known.
    def sent() -> httpx.Response | None:
        answer = submit(provider, link, **fields)
        return answer if answer.status_code == 303 else None

    solution_id = until(sent, 30, "the solution for the new wish").headers["location"]
    assert solution_id.startswith("/en/solutions/s-")
    solution_id = solution_id.rsplit("/", 1)[1]
    stored = httpx.get(f"{stack.url('solutions')}/v1/solutions/{solution_id}", timeout=10).json()
    assert stored["wish_id"] == wish_id and stored["trl"] == 7 and stored["website"] is None
    # To the catalogue: no wish.
    catalogue = submit(provider, "/en/my/solutions/new", **{**fields, "title_en": unique("Door")})
    assert catalogue.status_code == 303
    other = catalogue.headers["location"].rsplit("/", 1)[1]
    assert httpx.get(f"{stack.url('solutions')}/v1/solutions/{other}",
                     timeout=10).json()["wish_id"] is None
    # The match of the wish and the solution, then EMSD's rejection with its reason, on both pages.
    emsd = stack.system.auth("emsd", "EMSD")
    match_id = until(lambda: [m["id"] for m in httpx.get(
        f"{stack.url('matcher')}/v1/matches", timeout=10, headers=emsd,
        params={"wish_id": wish_id, "solution_id": solution_id}).json()["items"]], 30,
        "the match")[0]
    pending = main_of(provider.get("/en/my/solutions"))
    assert f'href="/en/solutions/{solution_id}">{title}</a>' in pending
    assert f'href="/en/wishes/{wish_id}"' in pending
    assert translate("myrec.decision.pending", EN) in pending
    rejected = httpx.post(f"{stack.url('matcher')}/v1/matches/{match_id}/reject", headers=emsd,
                          json={"reason": "Needs a safety certificate first"}, timeout=10)
    assert rejected.status_code == 200
    for client, path in ((provider, "/zh-hk/my/solutions"), (department, "/zh-hk/my/wishes")):
        text = main_of(client.get(path))
        assert translate("myrec.decision.rejected", ZH) in text
        assert "Needs a safety certificate first" in text


def test_the_api_refusing_a_closed_wish_is_shown_and_the_catalogue_offered(stack, provider):
    closed = stack.scenario.wishes["closed"]
    opened = provider.get(f"/zh-hk/my/solutions/new?wish_id={closed}")
    assert opened.status_code == 200 and translate("myrec.form.wish_closed", ZH) in opened.text
    assert 'name="wish_id" value="w-' not in opened.text  # it goes to the catalogue
    page = form_post(provider, "/zh-hk/my/solutions/new", {
        "wish_id": closed, "title_en": "Solar window film",
        "description_en": "A transparent film that cuts the cooling load.",
        "categories": ["renewable-energy"], "contact_email": "p@hkust.edu.hk", "trl": "6"})
    assert page.status_code == 422
    assert "已關閉" in errors_beside(page)["wish_id"] and '<a href="#wish_id">' in page.text
    assert 'value="Solar window film"' in page.text and '<option value="6" selected>' in page.text
    assert 'name="wish_id" value=""' in page.text  # the button to send it to the catalogue


# Who is refused

def test_each_role_is_refused_what_it_may_not_do(stack, department, provider):
    forbidden = {lang: translate("error.forbidden.title", lang_) for lang, lang_ in
                 (("en", EN), ("zh-hk", ZH))}
    page = department.get("/zh-hk/my/solutions/new")
    assert page.status_code == 403 and forbidden["zh-hk"] in page.text
    assert department.get("/en/my/solutions").status_code == 403
    token = csrf_of(provider.get("/en/my/solutions/new").text)
    refused = provider.post("/en/my/wishes/new", data={
        "csrf_token": token, "title_en": "A wish", "description_en": "From a provider",
        "categories": ["iot-sensors"], "contact_email": "p@hkust.edu.hk"})
    assert refused.status_code == 403 and forbidden["en"] in refused.text
    assert provider.get("/en/my/wishes").status_code == 403
    # Another department's wish: the wishes API's own 403, as the 403 page; nothing changes.
    leak = stack.scenario.wishes["leak"]
    other = form_post(department, "/en/my/wishes", {}, post_path=f"/en/my/wishes/{leak}/close")
    assert other.status_code == 403 and forbidden["en"] in other.text
    still = httpx.get(f"{stack.url('wishes')}/v1/wishes/{leak}", timeout=10).json()
    assert still["status"] == "open"
    # A form without its CSRF token.
    no_token = department.post("/en/my/wishes/new", data={"title_en": "Lift", "categories": []})
    assert no_token.status_code == 403 and translate("error.csrf.title", EN) in no_token.text


def test_not_signed_in_goes_to_sign_in_and_back_with_the_query(stack):
    wish_id = stack.scenario.wishes["lift"]
    with httpx.Client(base_url=stack.portal, timeout=10) as anonymous:
        for path in ("/en/my/wishes", "/zh-hk/my/wishes/new",
                     f"/en/my/solutions/new?wish_id={wish_id}"):
            answer = anonymous.get(path)
            lang = path.split("/")[1]
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/{lang}/sign-in?next={quote(path, safe='')}"
        posted = anonymous.post("/en/my/wishes/new", data={"title_en": "x"})
        assert posted.status_code == 303 and "/en/sign-in?next=" in posted.headers["location"]
        # The wish's page leads to the form; the propose page still explains registering.
        propose = anonymous.get(f"/en/propose?wish_id={wish_id}")
        assert f'href="/en/my/solutions/new?wish_id={wish_id}"' in propose.text
        assert 'href="/en/register"' in propose.text


# Services down

@asynccontextmanager
async def portal_signed_in(stack, tmp_path, role: str, org: str,
                           down: tuple[str, ...]) -> AsyncIterator[httpx.AsyncClient]:
    """A portal in-process over the stack's services, those in `down` replaced by a closed port,
    with a browser signed in to it as `role` at `org`."""
    urls = {n: f"http://127.0.0.1:{free_port()}" if n in down else stack.url(n) for n in UPSTREAMS}
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path,
                            secret_key=stack.system.env["INNOPORTAL_SECRET_KEY"])
    runtime = bootstrap(PortalSettings(), upstream=Upstream(urls, timeout=5, connect_timeout=1),
                        common=common)
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        secret = new_secret()  # a session as signing in by link makes it
        async with runtime.db.transaction() as session:
            account = Account(email=f"{role}@example.gov.hk", org=org, role=role,
                              status="active", created_by="test")
            session.add(account)
            await session.flush()
            session.add(BrowserSession(id_digest=digest(secret), account_id=account.id,
                                       expires_at=utcnow() + SESSION_TTL))
        client.cookies.set("session", secret)
        yield client


async def test_the_wishes_service_down_keeps_the_form_and_says_so(stack, tmp_path):
    async with portal_signed_in(stack, tmp_path, "department", "ArchSD", ("wishes",)) as client:
        form = await client.get("/zh-hk/my/wishes/new")
        sent = await client.post("/zh-hk/my/wishes/new", data={
            "csrf_token": csrf_of(form.text), **WISH_ZH, "contact_email": "x@archsd.gov.hk"})
        listing = await client.get("/en/my/wishes")
    assert sent.status_code == 503 and sent.headers["retry-after"]
    notice = translate("myrec.form.down", ZH, service=translate("service.wishes", ZH))
    assert notice in sent.text
    assert f'value="{WISH_ZH["title_zh"]}"' in sent.text and 'value="1,500,000"' in sent.text
    assert listing.status_code == 503  # nothing to list without the wishes service


async def test_my_solutions_without_the_matcher_say_the_matches_are_missing(stack, tmp_path):
    async with portal_signed_in(stack, tmp_path, "provider", "HKUST", ("matcher",)) as client:
        page = await client.get("/zh-hk/my/solutions")
    assert page.status_code == 200
    assert translate("myrec.matches_unavailable", ZH) in page.text
    assert f'href="/zh-hk/solutions/{stack.scenario.solutions["lift"]}"' in page.text
