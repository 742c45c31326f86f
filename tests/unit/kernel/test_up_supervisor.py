"""`innoportal up`'s supervisor: a child that dies is started again, later each time it keeps dying."""

import time

from innoportal.up import Supervisor


def test_a_child_that_keeps_dying_is_restarted_with_growing_delays(tmp_path, capsys):
    sup = Supervisor(base_delay=0.05, max_delay=0.2)
    sup.spawn("flaky", ["sh", "-c", "exit 3"], {"PATH": "/usr/bin:/bin"}, tmp_path / "flaky.log")
    child = sup.children[0]
    delays = []
    deadline = time.monotonic() + 10
    while child.restarts < 4 and time.monotonic() < deadline:
        before = child.restart_at
        sup.tend()
        if child.restart_at is not None and before is None:
            delays.append(round(child.restart_at - time.monotonic(), 2))
        time.sleep(0.01)
    sup.stop_all()
    assert child.restarts == 4
    assert delays[:4] == sorted(delays[:4]) and max(delays) <= 0.2  # doubling, capped
    printed = capsys.readouterr().err
    assert "flaky exited (code 3)" in printed and "restarts so far: 4" in printed


def test_stop_all_stops_a_running_child(tmp_path):
    sup = Supervisor()
    proc = sup.spawn("sleeper", ["sleep", "30"], {"PATH": "/usr/bin:/bin"}, tmp_path / "s.log")
    sup.stop_all(timeout=5)
    assert proc.poll() is not None and sup.dead() == ["sleeper"]
