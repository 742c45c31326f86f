"""Nothing lost, nothing doubled, under faults, counted from outside (issue 11).

All six processes run under `innoportal up` (which restarts a dead one), on a real nats-server
that fsyncs before every ack, a real SMTP server and SQLite or a private PostgreSQL. While
departments post wishes, providers submit solutions and register, people subscribe and confirm,
EMSD decides matches and trials run to their reports, every service is SIGKILLed several times,
NATS is stopped (in the long run also SIGKILLed) and started again, the SMTP server refuses
connections for 20 s and later answers 4xx, and PostgreSQL crashes and restarts. Then the audit
(tests/chaos/audit.py) counts every record, event and email, and the run prints its figure:
records, kills, outages, lost, doubled, and SMTP's floor per notifier kill.

The short run (about a minute of faults, SQLite) is part of `make test`; the long runs (four
minutes of faults, more kills, SQLite and PostgreSQL) run under `make chaos`."""

import pytest

from innoportal.testing.postgres import unavailable_reason

from .faults import LONG, SHORT
from .run import Result, run_chaos


def _check(result: Result, capsys) -> None:
    with capsys.disabled():
        print("\n" + result.report(), flush=True)
    assert sum(result.tally.lost.values()) == 0, result.report()
    assert sum(result.tally.doubled.values()) == 0, result.report()
    assert result.tally.records["report"] > 0 and result.tally.exact_alert_pairs > 0, (
        "the load did not get through to reports and alerts:\n" + result.report())


@pytest.mark.nats
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_short_chaos_run_loses_and_doubles_nothing(tmp_path, capsys):
    _check(run_chaos(tmp_path, SHORT, "sqlite"), capsys)


@pytest.mark.chaos
@pytest.mark.nats
@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_long_chaos_run_loses_and_doubles_nothing(tmp_path, capsys, backend):
    if backend == "postgres" and (reason := unavailable_reason()):
        pytest.skip(reason)
    _check(run_chaos(tmp_path, LONG, backend), capsys)
