"""The wish rules on their own: a closing date, and who may close a wish when."""

from datetime import date

import pytest

from innoportal.errors import FieldError
from services.wishes.domain import check_close, closing_date_errors

TODAY = date(2026, 12, 2)


def test_a_closing_date_may_be_today_or_later_or_absent():
    assert closing_date_errors(None, TODAY) == []
    assert closing_date_errors(TODAY, TODAY) == []
    assert closing_date_errors(date(2027, 1, 1), TODAY) == []


def test_a_closing_date_in_the_past_is_refused():
    assert closing_date_errors(date(2026, 12, 1), TODAY) == [
        ("closes_on", "must be today (2026-12-02) or later")]


def test_the_owner_closes_an_open_wish():
    check_close(owner_org="Highways Department", status="open", by_org="Highways Department")


@pytest.mark.parametrize(("status", "by_org", "field", "code"), [
    ("open", "Water Supplies Department", "owner_org", 403),
    ("closed", "Water Supplies Department", "owner_org", 403),  # not yours comes first
    ("closed", "Highways Department", "status", 409),
])
def test_who_may_not_close_and_why(status, by_org, field, code):
    with pytest.raises(FieldError) as caught:
        check_close(owner_org="Highways Department", status=status, by_org=by_org)
    assert caught.value.fields == [field] and caught.value.status == code
