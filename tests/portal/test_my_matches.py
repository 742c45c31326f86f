"""EMSD's match queue over the running system: pending matches of our own wish and solutions
(made through the APIs, so the scenario's are never decided), accepted and rejected in the portal,
the matcher asked what became of them."""

import re
from collections.abc import Iterator

import httpx
import pytest

from innoportal.testing.system import until
from portal.signin import csrf_of, signed_in

pytestmark = pytest.mark.slow

WISH = {
    "title_en": "Ultraviolet sterilisation of escalator handrails",
    "title_zh": "扶手電梯扶手紫外線消毒",
    "description_en": "Sterilise the handrails of escalators in government buildings with "
                      "ultraviolet light while the escalators run, to stop germs spreading.",
    "description_zh": "在政府大樓的扶手電梯加裝紫外線消毒裝置，於運行時持續為扶手消毒，減少細菌傳播。",
    "categories": ["building-services", "healthcare-tech"],
    "contact_email": "escalators@hkha.gov.hk",
}
SOLUTIONS = {
    "uv": ({
        "title_en": "UV-C handrail steriliser for escalators",
        "description_en": "A UV-C lamp unit fitted under the escalator handrail sterilises it "
                          "continuously while the escalator runs, stopping germs spreading.",
        "categories": ["building-services", "healthcare-tech"],
        "contact_email": "hello@uvclean.example.hk", "trl": 8,
    }, "UVClean"),
    "coating": ({
        "title_zh": "扶手電梯扶手光觸媒抗菌塗層",
        "description_zh": "以光觸媒抗菌塗層覆蓋扶手電梯扶手，在紫外線照射下持續消毒，減少細菌傳播。",
        "categories": ["building-services", "healthcare-tech"],
        "contact_email": "lab@coatings.example.hk", "trl": 6,
    }, "CoatLab"),
    "robot": ({  # left pending: the match no test decides
        "title_en": "Handrail cleaning robot for escalators",
        "description_en": "A small robot rides the escalator handrail and sterilises it with "
                          "ultraviolet light and wipes, stopping germs spreading.",
        "categories": ["building-services", "robotics-automation"],
        "contact_email": "ops@railbot.example.hk", "trl": 5,
    }, "RailBot"),
}


def _created(response: httpx.Response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def pending(stack) -> dict[str, str]:
    """Our own pending matches, by solution name: one wish, three solutions that match it."""
    system = stack.system
    with httpx.Client(timeout=20) as client:
        wish_id = _created(client.post(system.url("wishes") + "/v1/wishes", json=WISH,
                                       headers=system.auth("department", "HKHA")))["id"]
        solution_ids = {name: _created(client.post(
            system.url("solutions") + "/v1/solutions", json=body,
            headers=system.auth("provider", org)))["id"] for name, (body, org) in SOLUTIONS.items()}

        def found() -> dict[str, str] | None:
            items = client.get(system.url("matcher") + "/v1/matches", headers=system.auth(
                "emsd", "EMSD"), params={"wish_id": wish_id, "limit": 100}).json()["items"]
            by_solution = {m["solution_id"]: m["id"] for m in items}
            if all(s in by_solution for s in solution_ids.values()):
                return {name: by_solution[s] for name, s in solution_ids.items()}
            return None

        return until(found, 60, "the matches of our wish and its solutions")


@pytest.fixture(scope="module")
def emsd(stack) -> Iterator[httpx.Client]:
    """EMSD staff signed in (once for the module: sign-in links are rate-limited per address)."""
    with signed_in(stack, "ops@emsd.gov.hk", "emsd", "EMSD") as client:
        yield client


def match(stack, match_id: str) -> dict:
    """A match as the matcher has it now."""
    return httpx.get(f"{stack.url('matcher')}/v1/matches/{match_id}",
                     headers=stack.system.auth("emsd", "EMSD"), timeout=20).json()


def queue_ids(html: str) -> list[str]:
    """The matches listed on a queue page, in order."""
    return re.findall(r'<li id="match-(m-[0-9a-f]+)">', html)


def item_of(html: str, match_id: str) -> str:
    """One match's part of a queue page (up to the next match)."""
    return next(part for part in html.split('<li id="match-') if part.startswith(f'{match_id}"'))


def test_the_queue_lists_pending_matches_best_first_with_reasons_and_both_contacts(
        stack, pending, emsd):
    page = emsd.get(f"{stack.portal}/en/my/matches")
    assert page.status_code == 200, page.text
    api = httpx.get(f"{stack.url('matcher')}/v1/matches", params={"status": "pending"},
                    headers=stack.system.auth("emsd", "EMSD"), timeout=20).json()
    assert queue_ids(page.text) == [m["id"] for m in api["items"]]  # the matcher's order
    assert f"1 to {min(20, api['total'])} of {api['total']}" in page.text
    mine = next(m for m in api["items"] if m["id"] == pending["uv"])
    item = item_of(page.text, mine["id"])
    assert f"{round(mine['score'] * 100)}%" in item
    assert f'href="/en/wishes/{mine["wish_id"]}">Ultraviolet sterilisation' in item
    assert f'href="/en/solutions/{mine["solution_id"]}">UV-C handrail steriliser' in item
    assert "escalators@hkha.gov.hk" in item and "hello@uvclean.example.hk" in item  # EMSD sees both
    assert "posted by HKHA" in item and "submitted by UVClean" in item
    assert "Why they match" in item and "Categories in common" in item
    assert f'action="/en/my/matches/{mine["id"]}/accept"' in item
    assert f'<label for="reject-{mine["id"]}-reason">Reason for rejecting</label>' in item
    # In Chinese, the English-only solution's title is marked as English.
    chinese = emsd.get(f"{stack.portal}/zh-hk/my/matches")
    item = item_of(chinese.text, mine["id"])
    assert "扶手電梯扶手紫外線消毒" in item and '<span lang="en">UV-C handrail steriliser' in item
    assert "配對分數" in item and "拒絕原因" in item


def test_accepting_a_match_takes_it_off_the_queue_and_offers_its_trial(stack, pending, emsd):
    match_id = pending["uv"]
    page = emsd.get(f"{stack.portal}/en/my/matches")
    done = emsd.post(f"{stack.portal}/en/my/matches/{match_id}/accept",
                     data={"reason": "A good candidate for a trial",
                           "csrf_token": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["location"] == f"/en/my/matches?done={match_id}"
    decided = match(stack, match_id)
    assert decided["status"] == "accepted" and decided["decided_by"] == "EMSD"
    assert decided["decision_reason"] == "A good candidate for a trial"
    shown = emsd.get(f"{stack.portal}{done.headers['location']}")
    assert "You accepted the match of “Ultraviolet sterilisation" in shown.text
    assert f'href="/en/my/trials/new?match_id={match_id}">Open its field trial' in shown.text
    assert match_id not in queue_ids(shown.text)
    accepted = emsd.get(f"{stack.portal}/en/my/matches?status=accepted")
    assert accepted.status_code == 200 and match_id in queue_ids(accepted.text)
    assert "A good candidate for a trial" in accepted.text
    assert f'action="/en/my/matches/{match_id}/accept"' not in accepted.text
    # Decided already: deciding again changes nothing, and the page says so.
    again = emsd.post(f"{stack.portal}/en/my/matches/{match_id}/reject",
                      data={"reason": "Changed my mind", "csrf_token": csrf_of(page.text)})
    assert again.status_code == 303 and "already=" in again.headers["location"]
    notice = emsd.get(f"{stack.portal}{again.headers['location']}")
    assert "Nothing changed: this match had already been decided." in notice.text
    assert "It is accepted." in notice.text
    assert match(stack, match_id)["status"] == "accepted"


def test_rejecting_needs_a_reason_beside_its_field_then_takes_it_off_the_queue(
        stack, pending, emsd):
    match_id = pending["coating"]
    page = emsd.get(f"{stack.portal}/zh-hk/my/matches")
    blank = emsd.post(f"{stack.portal}/zh-hk/my/matches/{match_id}/reject",
                      data={"reason": "   ", "csrf_token": csrf_of(page.text)})
    assert blank.status_code == 422
    field = f"reject-{match_id}-reason"
    # The matcher refused it (422): the page says what to do, in Chinese, beside the field.
    assert f'<p class="field-error" id="{field}-error">請填寫拒絕此配對的原因</p>' in blank.text
    assert f'href="#{field}"' in blank.text and "錯誤：待決定的配對" in blank.text
    assert f'aria-describedby="{field}-hint {field}-error" aria-invalid="true"' in blank.text
    assert match(stack, match_id)["status"] == "pending"  # nothing decided
    assert f'href="/en/my/matches/{match_id}/reject"' in blank.text  # the language switch…
    switched = emsd.get(f"{stack.portal}/en/my/matches/{match_id}/reject")
    assert switched.status_code == 303 and switched.headers["location"] == "/en/my/matches"
    too_long = emsd.post(f"{stack.portal}/en/my/matches/{match_id}/accept",
                         data={"reason": "x" * 1001, "csrf_token": csrf_of(page.text)})
    assert too_long.status_code == 422
    error = re.search(rf'<p class="field-error" id="accept-{match_id}-reason-error">([^<]+)</p>',
                      too_long.text)
    assert error and "1000" in error.group(1)  # the matcher's own message
    assert "x" * 1001 in too_long.text  # what was typed is kept
    assert match(stack, match_id)["status"] == "pending"
    done = emsd.post(f"{stack.portal}/zh-hk/my/matches/{match_id}/reject",
                     data={"reason": "塗層需要日光照射，室內效果未經證實", "csrf_token": csrf_of(page.text)})
    assert done.status_code == 303
    decided = match(stack, match_id)
    assert decided["status"] == "rejected" and decided["decision_reason"] == "塗層需要日光照射，室內效果未經證實"
    shown = emsd.get(f"{stack.portal}{done.headers['location']}")
    assert "你已拒絕配對：「扶手電梯扶手紫外線消毒」與「扶手電梯扶手光觸媒抗菌塗層」。" in shown.text
    assert match_id not in queue_ids(shown.text)
    rejected = emsd.get(f"{stack.portal}/zh-hk/my/matches?status=rejected")
    assert match_id in queue_ids(rejected.text) and "室內效果未經證實" in rejected.text


def test_a_decision_without_its_csrf_token_is_refused(stack, pending, emsd):
    match_id = pending["robot"]
    refused = emsd.post(f"{stack.portal}/en/my/matches/{match_id}/accept", data={"reason": ""})
    assert refused.status_code == 403 and "This form has expired" in refused.text
    assert match(stack, match_id)["status"] == "pending"


def test_bad_queue_addresses_are_answered_as_pages(stack, emsd):
    bad = emsd.get(f"{stack.portal}/en/my/matches?status=maybe&page=0")
    assert bad.status_code == 400 and "Choose to decide, accepted or rejected" in bad.text
    page = emsd.get(f"{stack.portal}/en/my/matches")
    unknown = emsd.post(f"{stack.portal}/en/my/matches/m-nosuchmatch/accept",
                        data={"csrf_token": csrf_of(page.text)})
    assert unknown.status_code == 404 and "Page not found" in unknown.text


@pytest.mark.parametrize("email, role, org", [
    ("queue-provider@uvclean.example.hk", "provider", "UVClean"),
    ("queue-dept@hkha.gov.hk", "department", "HKHA"),
])
def test_providers_and_departments_get_the_403_page(stack, pending, email, role, org):
    with signed_in(stack, email, role, org) as client:
        page = client.get(f"{stack.portal}/en/my/matches")
        assert page.status_code == 403 and "You cannot do this" in page.text
        home = client.get(f"{stack.portal}/en/my/")
        posted = client.post(f"{stack.portal}/en/my/matches/{pending['robot']}/accept",
                             data={"csrf_token": csrf_of(home.text)})
        assert posted.status_code == 403
        assert match(stack, pending["robot"])["status"] == "pending"
