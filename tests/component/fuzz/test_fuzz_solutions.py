"""Schemathesis over the solutions service's OpenAPI (see fuzzing.py): no 5xx, every 4xx in the
kernel's error shape, with a token of each role and with none."""

import pytest

from .fuzzing import examples_settings, fuzz_case, timeout_seconds
from .targets import schema_of

SERVICE = "solutions"
schema = schema_of(SERVICE)
pytestmark = [pytest.mark.slow, pytest.mark.timeout(timeout_seconds())]


@examples_settings()
@schema.parametrize()
def test_no_5xx_and_every_4xx_in_the_error_shape(case, world, role):
    fuzz_case(case, world, role)
