"""The audit's rule for a second copy of an email: SMTP's floor (the same Message-ID, after a
crash, one per connection per crash), or doubled."""

from .audit import Copy, Tally, _resends

KEY = ("ada@example.org", "wish_alert", "w-1")
KILL = [("notifier kill 1", 10.0)]


def counted(*copies: Copy, cuts=KILL) -> Tally:
    tally = Tally()
    _resends(tally, KEY, list(copies), cuts)
    return tally


def test_a_resend_after_a_kill_with_the_same_message_id_is_the_floor():
    tally = counted(Copy(9.99, ("127.0.0.1", 5000), "<a@x>"),
                    Copy(12.0, ("127.0.0.1", 6000), "<a@x>"))
    assert tally.floor == {"notifier kill 1": 1} and not tally.doubled
    assert round(tally.floor_ms["notifier kill 1"][0]) == 10


def test_two_resends_of_one_connection_for_one_kill_are_one_too_many():
    tally = Tally()
    for key, first in ((KEY, 9.98), (("bo@example.org", "wish_alert", "w-1"), 9.99)):
        _resends(tally, key, [Copy(first, ("127.0.0.1", 5000), "<%s>" % key[0]),
                              Copy(12.0, ("127.0.0.1", 6000), "<%s>" % key[0])], KILL)
    assert sum(tally.floor.values()) == 1 and sum(tally.doubled.values()) == 1
    assert "a second resend on one connection" in tally.problems[0]


def test_a_copy_without_a_crash_between_or_with_another_message_id_is_doubled():
    assert counted(Copy(1.0, ("127.0.0.1", 5000), "<a@x>"),
                   Copy(2.0, ("127.0.0.1", 5000), "<a@x>")).doubled
    assert counted(Copy(9.0, ("127.0.0.1", 5000), "<a@x>"),
                   Copy(12.0, ("127.0.0.1", 6000), "<b@x>")).doubled


def test_a_message_taken_from_the_socket_just_after_the_kill_is_the_floor_too():
    tally = counted(Copy(10.3, ("127.0.0.1", 5000), "<a@x>"),
                    Copy(30.0, ("127.0.0.1", 6000), "<a@x>"))
    assert tally.floor == {"notifier kill 1": 1} and not tally.doubled
