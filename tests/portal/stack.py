"""The running system with the portal and its known world, shared by the portal and browser tests."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from innoportal.testing.system import System, running_system
from portal.scenario import Scenario, make_scenario


@dataclass
class Stack:
    """`innoportal up` on free ports, seeded with the scenario."""

    system: System
    scenario: Scenario

    @property
    def portal(self) -> str:
        """The portal's base URL (no trailing slash)."""
        return self.system.url("portal")

    def url(self, service: str) -> str:
        """A service's base URL."""
        return self.system.url(service)


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """One system for the whole session: pages are read by many tests, written by a few."""
    # Every test signs in from 127.0.0.1: the per-client limit is for people, not for this suite
    # (tests/portal/test_accounts.py proves the limits at their defaults).
    # The home page's figures are compared with the APIs' counts of the moment: no memory.
    limits = {"INNOPORTAL_PORTAL_SIGN_IN_LINKS_PER_ADDRESS": "1000",
              "INNOPORTAL_PORTAL_SIGN_IN_LINKS_PER_CLIENT": "100000",
              "INNOPORTAL_PORTAL_HOME_SECONDS": "0"}
    with running_system(tmp_path_factory.mktemp("portal-stack"), limits) as system:
        yield Stack(system, make_scenario(system))
