"""Field trials in the workspace over the running system: EMSD opens a trial of a match it has
just accepted (never meeting the moment trials has not heard of it), a clash is shown and not
saved, the trial is started, measured (one reading by EMSD, CSV files by the provider), completed
and its report corrected; and who is refused what."""

import re
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from innoportal.fields import HONG_KONG
from innoportal.testing.system import until
from portal.signin import csrf_of, signed_in

pytestmark = pytest.mark.slow
EMSD = "officer.trials@emsd.gov.hk"
KPI_FORM = {"kpis-0-name": "Chiller energy", "kpis-0-unit": "kWh/day", "kpis-0-baseline": "1200",
            "kpis-0-target": "1000", "kpis-0-direction": "decrease", "kpis-0-aggregate": "median",
            "kpis-3-name": "Comfort complaints", "kpis-3-unit": "per week",
            "kpis-3-baseline": "5", "kpis-3-target": "2", "kpis-3-direction": "decrease",
            "kpis-3-aggregate": "last"}


@pytest.fixture(scope="module")
def emsd(stack) -> Iterator[httpx.Client]:
    """EMSD staff signed in to the portal."""
    with signed_in(stack, EMSD, "emsd", "EMSD") as client:
        yield client


def post_form(client: httpx.Client, page_url: str, action: str, data: dict,
              files: dict | None = None) -> httpx.Response:
    """Open the page that shows a form, then send the form with the page's CSRF token."""
    page = client.get(page_url)
    assert page.status_code == 200, page.text[:500]
    return client.post(action, data={**data, "csrf_token": csrf_of(page.text)}, files=files)


def field_error(html: str, name: str) -> str:
    """The error shown beside field `name` (its text only)."""
    found = re.search(rf'<(p|div) class="field-error" id="{re.escape(name)}-error">(.*?)</\1>',
                      html, re.S)
    assert found, f"no error beside {name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(2))).strip()


def new_match(stack, tag: str) -> str:
    """A wish and a solution made to match each other (not yet decided): the match's id."""
    words = f"Chiller plant optimisation {tag}"
    wish = httpx.post(f"{stack.url('wishes')}/v1/wishes", headers=stack.system.auth(
        "department", "ArchSD"), json={
        "title_en": words, "categories": ["energy-efficiency", "building-services"],
        "description_en": f"Optimise chiller plant sequencing {tag} to cut energy in offices.",
        "contact_email": "chillers@archsd.gov.hk"}, timeout=20).json()["id"]
    solution = httpx.post(f"{stack.url('solutions')}/v1/solutions", headers=stack.system.auth(
        "provider", f"Lab {tag}"), json={
        "title_en": words, "categories": ["energy-efficiency", "building-services"],
        "description_en": f"Chiller plant sequencing optimisation {tag} cuts energy in offices.",
        "contact_email": "lab@example.org", "trl": 7}, timeout=20).json()["id"]

    def found() -> list[str]:
        items = httpx.get(f"{stack.url('matcher')}/v1/matches", params={"wish_id": wish},
                          headers=stack.system.auth("emsd", "EMSD"), timeout=20).json()["items"]
        return [m["id"] for m in items if m["solution_id"] == solution]

    return until(found, 60, f"the match of {tag}")[0]


def accept(stack, match_id: str) -> None:
    """EMSD accepts the match through the matcher's API (trials hears of it by event)."""
    answer = httpx.post(f"{stack.url('matcher')}/v1/matches/{match_id}/accept",
                        json={"reason": "Worth a trial"}, headers=stack.system.auth("emsd", "EMSD"))
    assert answer.status_code == 200, answer.text


def trial_api(stack, trial_id: str) -> dict:
    return httpx.get(f"{stack.url('trials')}/v1/trials/{trial_id}", timeout=20).json()


def trials_of_match(stack, match_id: str) -> list[dict]:
    return httpx.get(f"{stack.url('trials')}/v1/trials", params={"match_id": match_id},
                     timeout=20).json()["items"]


def new_venue(stack) -> str:
    """A venue of this test's own, hosting one trial at a time."""
    return httpx.post(f"{stack.url('trials')}/v1/venues", headers=stack.system.auth("emsd", "EMSD"),
                      json={"name_en": "Test bay", "name_zh": "測試區", "address": "Kowloon Bay",
                            "owner_department": "EMSD"}, timeout=20).json()["id"]


def hk_today() -> str:
    return datetime.now(HONG_KONG).date().isoformat()


def plan(match_id: str, venue_id: str, start: str, end: str) -> dict:
    return {"match_id": match_id, "venue_id": venue_id, "planned_start": start,
            "planned_end": end, **KPI_FORM}


def open_by_page(stack, client, match_id: str, plan_form: dict, lang: str = "en") -> httpx.Response:
    base = f"{stack.portal}/{lang}/my/trials/new"
    return post_form(client, f"{base}?match_id={match_id}", base, plan_form)


def test_a_trial_opens_while_the_accept_is_on_its_way_without_the_person_meeting_the_race(
        stack, emsd):
    tag = uuid.uuid4().hex[:8]
    match_id = new_match(stack, tag)
    venue = new_venue(stack)
    page = emsd.get(f"{stack.portal}/en/my/trials/new?match_id={match_id}")
    assert page.status_code == 409 and "has not been accepted yet" in page.text
    # The form is sent as EMSD accepts: trials hears of the decision only a moment later.
    accepting = threading.Timer(0.5, accept, (stack, match_id))
    accepting.start()
    end = (datetime.now(HONG_KONG).date() + timedelta(days=20)).isoformat()
    sent = emsd.post(f"{stack.portal}/en/my/trials/new", data={
        **plan(match_id, venue, hk_today(), end), "csrf_token": csrf_of(page.text)})
    accepting.join()
    assert sent.status_code == 303, sent.text[:2000]
    [trial] = trials_of_match(stack, match_id)
    assert sent.headers["location"] == f"/en/my/trials/{trial['id']}?done=opened"
    # Empty rows are left out; each KPI keeps its aggregate; plain dates are Hong Kong days.
    assert [(k["name"], k["aggregate"]) for k in trial["kpis"]] == [
        ("Chiller energy", "median"), ("Comfort complaints", "last")]
    start = datetime.fromisoformat(trial["planned_start"].replace("Z", "+00:00"))
    assert start.astimezone(HONG_KONG).isoformat().endswith("T00:00:00+08:00")
    shown = emsd.get(stack.portal + sent.headers["location"])
    assert shown.status_code == 200 and "The trial was opened" in shown.text
    assert "Start the trial" in shown.text and "Median" in shown.text


def test_a_match_never_accepted_opens_no_trial_and_says_so(stack, emsd):
    match_id = new_match(stack, uuid.uuid4().hex[:8])
    page = emsd.get(f"{stack.portal}/zh-hk/my/trials/new?match_id={match_id}")
    sent = emsd.post(f"{stack.portal}/zh-hk/my/trials/new", data={
        **plan(match_id, new_venue(stack), "2027-01-04", "2027-01-08"),
        "csrf_token": csrf_of(page.text)})
    assert sent.status_code == 409 and "此配對尚未獲接納" in sent.text
    assert trials_of_match(stack, match_id) == []


def test_a_clash_is_shown_beside_the_dates_naming_the_trial_and_nothing_is_saved(stack, emsd):
    tag = uuid.uuid4().hex[:8]
    match_id = new_match(stack, tag)
    accept(stack, match_id)
    running = trial_api(stack, stack.scenario.trials["running"])
    day = datetime.fromisoformat(running["planned_start"].replace("Z", "+00:00")).astimezone(
        HONG_KONG).date()
    form = plan(match_id, stack.scenario.venue, (day + timedelta(days=3)).isoformat(),
                (day + timedelta(days=9)).isoformat())
    for lang, words in (("en", "already booked"), ("zh-hk", "已有預訂")):
        answer = open_by_page(stack, emsd, match_id, form, lang)
        assert answer.status_code == 409, answer.text[:2000]
        assert words in field_error(answer.text, "window")
        assert f'href="/{lang}/my/trials/{running["id"]}"' in answer.text  # the trial, linked
        assert 'value="Chiller energy"' in answer.text  # what was typed is kept
    assert trials_of_match(stack, match_id) == []


def test_field_errors_of_the_plan_are_beside_their_rows_in_the_pages_language(stack, emsd):
    tag = uuid.uuid4().hex[:8]
    match_id = new_match(stack, tag)
    accept(stack, match_id)
    form = {**plan(match_id, new_venue(stack), "2027-02-30", "2027-03-10"),
            "kpis-1-name": "Noise", "kpis-1-baseline": "loud"}
    answer = until(lambda: (a := open_by_page(stack, emsd, match_id, form, "zh-hk")).status_code
                   != 409 and a, 30, "the decision reaching trials")
    assert answer.status_code == 422
    assert field_error(answer.text, "planned_start")
    assert field_error(answer.text, "kpis-1-baseline") == "必須是數字"
    assert field_error(answer.text, "kpis-1-direction") == "請選擇數值越高或越低為佳"
    assert 'href="#kpis-1-baseline"' in answer.text  # the summary links to the field
    assert 'value="loud"' in answer.text and trials_of_match(stack, match_id) == []


def csv_upload(stack, client, trial_id: str, content: bytes, lang: str = "en") -> httpx.Response:
    here = f"{stack.portal}/{lang}/my/trials/{trial_id}"
    return post_form(client, here, f"{here}/measurements/csv", {},
                     files={"file": ("readings.csv", content, "text/csv")})


def test_a_trial_from_start_to_a_corrected_report(stack, emsd):
    tag = uuid.uuid4().hex[:8]
    match_id = new_match(stack, tag)
    accept(stack, match_id)
    end = (datetime.now(HONG_KONG).date() + timedelta(days=30)).isoformat()
    form = plan(match_id, new_venue(stack), hk_today(), end)
    opened = until(lambda: (a := open_by_page(stack, emsd, match_id, form)).status_code == 303
                   and a, 30, "the trial opening")
    here = stack.portal + opened.headers["location"].split("?")[0]
    trial_id = here.rsplit("/", 1)[1]
    started = post_form(emsd, here, f"{here}/start", {})
    assert started.status_code == 303 and trial_api(stack, trial_id)["state"] == "running"
    # EMSD records one reading (an empty time is now).
    one = post_form(emsd, here, f"{here}/measurements",
                    {"kpi": "Chiller energy", "value": "1100", "measured_at": ""})
    assert one.status_code == 303 and trial_api(stack, trial_id)["measurement_count"] == 1
    bad = post_form(emsd, here, f"{here}/measurements", {"kpi": "Chiller energy", "value": "lots"})
    assert bad.status_code == 422 and field_error(bad.text, "value")
    # The provider uploads a file with one bad row: its line is named, nothing is stored.
    at = trial_api(stack, trial_id)["actual_start"]
    with signed_in(stack, f"lab-{tag}@example.org", "provider", f"Lab {tag}", lang="zh-hk") as lab:
        rows = [f"Chiller energy,1050,{at}", f"Chiller power,990,{at}",
                f"Comfort complaints,3,{at}"]
        refused = csv_upload(stack, lab, trial_id, ("kpi,value,measured_at\n" + "\n".join(rows))
                             .encode(), "zh-hk")
        assert refused.status_code == 422, refused.text[:2000]
        error = field_error(refused.text, "file")
        assert "第 3 行" in error and "kpi" in error and "全部未有記錄" in error
        assert "第 2 行" not in error and "第 4 行" not in error
        assert trial_api(stack, trial_id)["measurement_count"] == 1
        typo = csv_upload(stack, lab, trial_id, b"kpi,value,measured_at\nChiller energy,many,"
                          + at.encode() + b"\n", "zh-hk")
        assert typo.status_code == 422 and "第 2 行" in field_error(typo.text, "file")
        good = "\ufeff" + "kpi,value,measured_at\r\n" + "\r\n".join(r.replace("power", "energy")
                                                                    for r in rows)
        stored = csv_upload(stack, lab, trial_id, good.encode(), "zh-hk")
        assert stored.status_code == 303
        assert stored.headers["location"].endswith("done=uploaded&n=3")
        assert "已記錄檔案中全部 3 個讀數" in lab.get(stack.portal + stored.headers["location"]).text
        assert lab.post(f"{here}/start", data={"csrf_token": csrf_of(
            lab.get(here).text)}).status_code == 403  # a provider does not run trials
    assert trial_api(stack, trial_id)["measurement_count"] == 4
    # Complete (a summary is required), then correct the report: a new version, linked.
    empty = post_form(emsd, here, f"{here}/complete", {"summary": " "})
    assert empty.status_code == 422 and field_error(empty.text, "summary")
    done = post_form(emsd, here, f"{here}/complete", {"summary": "Energy fell by 10%."})
    assert done.status_code == 303 and trial_api(stack, trial_id)["state"] == "completed"
    fixed = post_form(emsd, here, f"{here}/report/corrections",
                      {"reason": "Wrong figure", "summary": "Energy fell by 12%."})
    assert fixed.status_code == 303 and fixed.headers["location"].endswith("done=corrected&n=2")
    page = emsd.get(stack.portal + fixed.headers["location"])
    assert f'href="/en/reports/{trial_id}?version=2"' in page.text
    assert trial_api(stack, trial_id)["report"]["version"] == 2


def test_terminating_needs_a_reason(stack, emsd):
    tag = uuid.uuid4().hex[:8]
    match_id = new_match(stack, tag)
    accept(stack, match_id)
    form = plan(match_id, new_venue(stack), "2027-06-01", "2027-06-30")
    opened = until(lambda: (a := open_by_page(stack, emsd, match_id, form)).status_code == 303
                   and a, 30, "the trial opening")
    here = stack.portal + opened.headers["location"].split("?")[0]
    refused = post_form(emsd, here, f"{here}/terminate", {"reason": ""})
    assert refused.status_code == 422 and field_error(refused.text, "reason")
    ended = post_form(emsd, here, f"{here}/terminate", {"reason": "The venue is closed."})
    assert ended.status_code == 303 and "terminated" in ended.headers["location"]
    assert trial_api(stack, here.rsplit("/", 1)[1])["termination_reason"] == "The venue is closed."


def test_emsd_lists_trials_by_state_and_the_accepted_matches_awaiting_one(stack, emsd):
    page = emsd.get(f"{stack.portal}/en/my/trials?state=running")
    assert page.status_code == 200
    assert f'/en/my/trials/{stack.scenario.trials["running"]}"' in page.text
    assert f'/en/my/trials/{stack.scenario.trials["completed"]}"' not in page.text
    tag = uuid.uuid4().hex[:8]
    match_id = new_match(stack, tag)
    accept(stack, match_id)
    listed = emsd.get(f"{stack.portal}/zh-hk/my/trials")
    assert f"/zh-hk/my/trials/new?match_id={match_id}" in listed.text and "開立試驗" in listed.text
    bad = emsd.get(f"{stack.portal}/zh-hk/my/trials?state=done&page=0")
    assert bad.status_code == 400 and field_error(bad.text, "state") == "請從清單中選擇狀況"


def test_a_provider_sees_only_its_own_trials(stack):
    running = stack.scenario.trials["running"]  # CityU's
    with signed_in(stack, "lab@hkust.edu.hk", "provider", "HKUST") as hkust:
        listed = hkust.get(f"{stack.portal}/en/my/trials")
        assert listed.status_code == 200
        assert f"/en/my/trials/{stack.scenario.trials['completed']}" in listed.text
        assert f"/en/my/trials/{running}" not in listed.text
        other = hkust.get(f"{stack.portal}/en/my/trials/{running}")
        assert other.status_code == 403 and "Traceback" not in other.text
        assert hkust.get(f"{stack.portal}/en/my/trials/new").status_code == 403
    with signed_in(stack, "water@cityu.edu.hk", "provider", "CityU") as cityu:
        own = cityu.get(f"{stack.portal}/en/my/trials/{running}")
        assert own.status_code == 200 and 'action="/en/my/trials/' in own.text
        assert "/measurements/csv" in own.text and "Start the trial" not in own.text
        assert "Terminate the trial" not in own.text


def test_refusals(stack, emsd):
    running = stack.scenario.trials["running"]
    with signed_in(stack, "chan@wsd.gov.hk", "department", "WSD") as department:
        for path in ("/en/my/trials", f"/en/my/trials/{running}", "/en/my/venues"):
            page = department.get(stack.portal + path)
            assert page.status_code == 403 and "Traceback" not in page.text, path
    # A POST without the form's CSRF token changes nothing.
    for action in ("measurements", "start", "terminate"):
        answer = emsd.post(f"{stack.portal}/en/my/trials/{running}/{action}",
                           data={"kpi": "False alarms", "value": "1", "reason": "x"})
        assert answer.status_code == 403, action
    assert trial_api(stack, running)["state"] == "running"
    assert emsd.get(f"{stack.portal}/en/my/trials/t-0000000000000000").status_code == 404
    anonymous = httpx.get(f"{stack.portal}/en/my/trials/{running}", timeout=20)
    assert anonymous.status_code == 303 and "/en/sign-in?next=" in anonymous.headers["location"]
