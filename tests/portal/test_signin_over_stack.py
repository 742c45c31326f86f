"""Signing in to the running system's portal: the helper other workspace tests use, proven."""

import pytest

from portal.signin import signed_in

pytestmark = pytest.mark.slow


def test_a_department_signs_in_and_sees_its_workspace(stack):
    with signed_in(stack, "chan@archsd.gov.hk", "department", "ArchSD") as client:
        page = client.get(f"{stack.portal}/en/my/")
        assert page.status_code == 200 and "You act for ArchSD" in page.text
        assert "/en/my/wishes/new" in page.text
