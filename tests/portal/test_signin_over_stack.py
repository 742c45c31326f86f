"""Signing in to the running system's portal: the helper other workspace tests use, proven."""

import pytest

from portal.signin import signed_in

pytestmark = pytest.mark.slow


def test_a_department_signs_in_and_sees_its_workspace(stack):
    with signed_in(stack, "chan@archsd.gov.hk", "department", "ArchSD") as client:
        page = client.get(f"{stack.portal}/en/my/")
        assert page.status_code == 200 and "You act for ArchSD" in page.text
        assert "/en/my/wishes/new" in page.text


def test_no_log_line_carries_a_links_token(stack):
    with signed_in(stack, "logs@archsd.gov.hk", "department", "ArchSD"):
        pass
    import re

    logs = "".join(p.read_text(errors="replace")
                   for p in (stack.system.cwd / "var" / "logs").glob("*.log"))
    assert "/sign-in/link?token=" in logs  # the link was opened, and its line was logged...
    values = set(re.findall(r"token=([^&\s\"']+)", logs))
    assert values == {"[redacted]"}, values  # ...without its token
    assert "Logging error" not in logs  # and the redacted line is still a line
