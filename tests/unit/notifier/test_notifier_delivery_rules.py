"""Failure classes, the retry schedule, Message-IDs and digest periods."""

from datetime import UTC, datetime

import pytest

from services.notifier.domain import classify_reply, last_closed_period, message_id, retry_delay
from services.notifier.adapters.smtp import SmtpConfig


@pytest.mark.parametrize("code, stage, outcome", [
    (None, "connect", "transient"), (421, "mail", "transient"), (451, "data", "transient"),
    (450, "rcpt", "transient"), (550, "rcpt", "hard_bounce"), (551, "rcpt", "hard_bounce"),
    (552, "rcpt", "permanent"), (554, "data", "permanent"), (535, "auth", "transient"),
])
def test_classification(code, stage, outcome):
    assert classify_reply(code, stage) == outcome


def test_retry_delay_grows_is_capped_and_is_stable():
    delays = [retry_delay(n, "key-1", base=30, cap=3600) for n in range(1, 12)]
    assert all(a < b for a, b in zip(delays[:6], delays[1:7], strict=True))
    assert max(delays) <= 3600 * 1.2 and delays[-1] == retry_delay(11, "key-1", base=30, cap=3600)
    assert 24 <= delays[0] <= 36


def test_message_id_is_derived_from_the_idempotency_key():
    a = message_id("A@x.hk", "wish:w-1", "wish_alert", "innoportal.example")
    assert a == message_id("a@x.hk", "wish:w-1", "wish_alert", "innoportal.example")
    assert a != message_id("a@x.hk", "wish:w-2", "wish_alert", "innoportal.example")


def test_digest_periods_follow_hong_kong_days_and_iso_weeks():
    # Friday 20 Nov 2026 01:00 HKT is still Thursday 19 Nov in UTC.
    now = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)
    daily = last_closed_period("daily", now)
    assert daily.label == "daily:2026-11-19"
    assert (daily.start, daily.end) == (datetime(2026, 11, 18, 16, tzinfo=UTC), datetime(2026, 11, 19, 16, tzinfo=UTC))
    weekly = last_closed_period("weekly", now)
    assert weekly.label == "weekly:2026-W46" and weekly.end == datetime(2026, 11, 15, 16, tzinfo=UTC)


def test_smtp_urls():
    c = SmtpConfig.from_url("smtp://user%40x:p%3Ass@mail.example.hk:587?starttls=1&timeout=10&pool=8")
    assert (c.host, c.port, c.start_tls, c.use_tls) == ("mail.example.hk", 587, True, False)
    assert (c.username, c.password, c.timeout, c.pool_size) == ("user@x", "p:ss", 10.0, 8)
    assert "p:ss" not in c.redacted()
    s = SmtpConfig.from_url("smtps://mail.example.hk?verify=0")
    assert (s.port, s.use_tls, s.validate_certs) == (465, True, False)
    for bad in ("http://x", "smtps://x?starttls=1"):
        with pytest.raises(ValueError):
            SmtpConfig.from_url(bad)


def test_a_claimed_email_is_withheld_for_the_reason_that_applies_first():
    from datetime import UTC, datetime, timedelta

    from services.notifier.domain import reason_to_withhold

    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    link = {"expires_at": (now - timedelta(minutes=1)).isoformat()}

    def why(kind, sid="sub-1", context=None, suppressed=None, confirmed=True, pending=False):
        return reason_to_withhold(kind, sid, context or {}, suppressed=suppressed,
                                  confirmed=confirmed, pending=pending, now=now)

    assert why("wish_alert") is None and why("confirmation", pending=True) is None
    assert why("wish_alert", suppressed="unsubscribed") == "address suppressed (unsubscribed)"
    # Asked for: a "stop all" click does not withhold it, a hard bounce does.
    assert why("sign_in_link", sid=None, suppressed="unsubscribed") is None
    assert why("confirmation", suppressed="unsubscribed", pending=True) is None
    assert why("sign_in_link", sid=None, suppressed="hard_bounce") == "address suppressed (hard_bounce)"
    assert why("invite_link", sid=None, context=link) == "the link expired before it could be sent"
    assert why("digest", confirmed=False) == "subscription no longer confirmed"
    assert why("wish_alert", sid=None, confirmed=False) == "subscription no longer confirmed"
    assert why("trial_completed", sid=None, confirmed=False) is None  # a party, no subscription
    assert why("confirmation", pending=False) == "subscription no longer pending"
