"""EMSD's decisions on the matcher's /metrics: matches by status (so the share accepted) and decided
matches by the kind of their reason; every series there at 0 from the start, exact across a
restart (read from the database), unchanged by a refused decision."""

from prometheus_client.parser import text_string_to_metric_families

from services.matcher.domain.decisions import REJECT_REASONS

from ..conftest import bearer
from .conftest import seed

EMSD = bearer("emsd", "EMSD")


async def gauges(client) -> dict[tuple, float]:
    """(metric, label values…) → value of the matcher's decision gauges."""
    text = (await client.get("/metrics")).text
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "innoportal_matcher_matches":
                out[(s.name, s.labels["status"])] = s.value
            elif s.name == "innoportal_matcher_decided_matches":
                out[(s.name, s.labels["decision"], s.labels["reason"])] = s.value
    return out


def expected(pending=0, accepted=0, **rejected) -> dict[tuple, float]:
    values = {("innoportal_matcher_matches", "pending"): pending,
              ("innoportal_matcher_matches", "accepted"): accepted,
              ("innoportal_matcher_matches", "rejected"): sum(rejected.values()),
              ("innoportal_matcher_decided_matches", "accepted", "none"): accepted}
    for reason in REJECT_REASONS:
        values[("innoportal_matcher_decided_matches", "rejected", reason)] = rejected.get(reason, 0)
    return values


async def test_decisions_by_status_and_reason_from_zero_and_exact_after_a_restart(matcher):
    client, state = matcher.client, matcher.runtime.state
    assert await gauges(client) == expected()  # every series, at 0, before anything happened

    ids = [await seed(matcher, f"w-{i}", "s-1", 0.9 - i / 20) for i in range(5)]
    await state.load()  # seeded behind the consumers' back: read again, as at a start
    assert await gauges(client) == expected(pending=5)

    assert (await client.post(f"/v1/matches/{ids[0]}/accept", headers=EMSD)).status_code == 200
    for match_id, reason in ((ids[1], "Too expensive for this year's budget"),
                             (ids[2], "與需要不相關"),
                             (ids[3], "The provider asked us to withdraw it")):
        answer = await client.post(f"/v1/matches/{match_id}/reject", headers=EMSD,
                                   json={"reason": reason})
        assert answer.status_code == 200, answer.text
    after = expected(pending=1, accepted=1, cost=1, not_relevant=1, other=1)
    assert await gauges(client) == after

    # A decision refused (already decided; no reason) counts nothing.
    assert (await client.post(f"/v1/matches/{ids[0]}/reject", headers=EMSD,
                              json={"reason": "duplicate"})).status_code == 409
    assert (await client.post(f"/v1/matches/{ids[4]}/reject", headers=EMSD,
                              json={"reason": " "})).status_code == 422
    assert await gauges(client) == after

    await state.load()  # a restart reads the database: the same numbers
    assert await gauges(client) == after
