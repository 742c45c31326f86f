"""A batch of readings is checked as a whole: every wrong field of every item, by its index."""

from datetime import timedelta

import pytest
from trials_builders import DEPARTMENT, EMSD, OTHER_PROVIDER, PROVIDER, T0

from innoportal.errors import FieldError
from services.trials.domain import InvalidTransition, NotPermitted

NOW = T0 + timedelta(days=3)
AT = T0 + timedelta(days=1)


def test_a_good_batch_is_every_reading_in_order(running):
    items = [(0, "Energy saved", 11, AT), (1, "fault rate 故障率", 1.5, AT), (2, "Energy saved",
                                                                           13, NOW)]
    batch = running.check_measurements(by=PROVIDER, items=items, now=NOW)
    assert [(m.kpi, m.value, m.measured_at, m.recorded_by) for m in batch] == [
        ("Energy saved", 11, AT, PROVIDER), ("Fault rate 故障率", 1.5, AT, PROVIDER),
        ("Energy saved", 13, NOW, PROVIDER)]


def test_every_wrong_field_of_every_item_is_named(running):
    items = [
        (0, "Energy saved", 11, AT),
        (1, "Nope", float("nan"), AT),
        (2, "Energy saved", 12, NOW + timedelta(hours=1)),
        (3, "Energy saved", 12, AT),
        (5, "Energy saved", "12", T0 - timedelta(days=1)),  # item 4 was refused by its shape
    ]
    with pytest.raises(FieldError) as err:
        running.check_measurements(by=EMSD, items=items, now=NOW)
    assert err.value.fields == [
        "items[1].kpi", "items[1].value", "items[2].measured_at", "items[5].value",
        "items[5].measured_at"]


@pytest.mark.parametrize("who", [DEPARTMENT, OTHER_PROVIDER])
def test_only_emsd_and_the_trials_provider_may_record_a_batch(running, who):
    with pytest.raises(NotPermitted):
        running.check_measurements(by=who, items=[(0, "Energy saved", 1, AT)], now=NOW)


def test_a_batch_needs_a_running_trial(planned):
    with pytest.raises(InvalidTransition):
        planned.check_measurements(by=EMSD, items=[], now=NOW)
