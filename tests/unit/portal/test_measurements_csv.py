"""A CSV file of measurements: what it may hold, and each of its problems named by the line it is
on (the header is line 1), whatever bytes arrive."""

import random
from datetime import UTC, datetime

import pytest

from services.portal.domain.measurements_csv import (
    MAX_BYTES,
    MAX_ROWS,
    batch_lines,
    example_file,
    measurement_body,
    moment_of,
    number_of,
    parse_measurements,
)


def keys(parsed) -> list[tuple[int, str]]:
    return [(p.line, p.problem.key) for p in parsed.problems]


def test_a_good_file_gives_its_readings_in_order_with_their_lines():
    parsed = parse_measurements(
        b"kpi,value,measured_at\n"
        b"Energy use,12.5,2026-11-21T09:30:00+08:00\n"
        b"\n"
        b'"Fault, lead time",-3,2026-11-21 10:15\n'
        b"Energy use,1e3,2026-11-21T02:00:00Z\n")
    assert parsed.ok
    assert [(r.line, r.kpi, r.value) for r in parsed.readings] == [
        (2, "Energy use", 12.5), (4, "Fault, lead time", -3.0), (5, "Energy use", 1000.0)]
    # A time without a zone is Hong Kong time.
    assert parsed.readings[1].measured_at == "2026-11-21T10:15:00+08:00"
    assert parsed.readings[0].item() == {"kpi": "Energy use", "value": 12.5,
                                         "measured_at": "2026-11-21T09:30:00+08:00"}


def test_a_byte_order_mark_crlf_a_header_in_any_order_and_case_and_trailing_empty_rows():
    parsed = parse_measurements("\ufeffMeasured_at, KPI ,Value\r\n2026-11-21 09:30,能源,7\r\n,,\r\n"
                                .encode())
    assert parsed.ok and [(r.kpi, r.value) for r in parsed.readings] == [("能源", 7.0)]


def test_every_bad_row_is_named_by_its_line():
    parsed = parse_measurements(
        b"kpi,value,measured_at\n"
        b"Energy use,12.5,2026-11-21T09:30:00+08:00\n"
        b"Energy use,twelve,2026-11-21T09:30:00+08:00\n"
        b"Energy use,1,yesterday\n"
        b",NaN,2026-11-21T09:30:00\n"
        b"Energy use,1\n"
        b'"Multi\nline",2,2026-11-21 09:30\n'
        b"Energy use,3,2026-11-21 9:30\n")
    assert not parsed.ok
    assert keys(parsed) == [
        (3, "my_trials.csv.value"), (4, "my_trials.csv.measured_at"),
        (5, "my_trials.csv.kpi_blank"), (5, "my_trials.csv.value"), (6, "my_trials.csv.cells"),
        (9, "my_trials.csv.measured_at")]
    assert parsed.problems[0].problem.values == {"value": "twelve"}
    assert [r.line for r in parsed.readings] == [2, 7]  # the quoted cell spans lines 7 and 8


@pytest.mark.parametrize(("data", "expected"), [
    (b"", [(0, "my_trials.csv.empty")]),
    (b"\xef\xbb\xbf \n\n", [(0, "my_trials.csv.empty")]),
    (b"kpi,value,measured_at\n", [(0, "my_trials.csv.no_rows")]),
    (b"kpi,value\nEnergy,1\n", [(1, "my_trials.csv.columns")]),
    (b"\nkpi,value,when\n", [(2, "my_trials.csv.columns")]),
    (b"kpi,value,measured_at,kpi\n", [(1, "my_trials.csv.columns")]),
    (b"kpi,value,measured_at\nEnergy,1,2026-11-21 09:30\n\xe8\x83\xbd\xa4\n",
     [(3, "my_trials.csv.not_utf8")]),
    ("kpi,value,measured_at\n能源,1,2026-11-21 09:30\n".encode("big5"),
     [(2, "my_trials.csv.not_utf8")]),
    ("kpi,value,measured_at\nx,1,2026-11-21 09:30\n".encode("utf-16"),
     [(1, "my_trials.csv.not_utf8")]),
    (b'kpi,value,measured_at\n"open,1,2026-11-21 09:30\n', [(2, "my_trials.csv.unreadable")]),
])
def test_problems_of_the_file_itself(data, expected):
    assert keys(parse_measurements(data)) == expected


def test_control_characters_go_on_to_the_api_which_names_them():
    parsed = parse_measurements(b"kpi,value,measured_at\nEn\x00ergy,1,2026-11-21 09:30\n")
    assert parsed.ok and parsed.readings[0].kpi == "En\x00ergy"


def test_more_than_the_batch_limit_is_refused_at_the_first_row_too_many():
    rows = "".join(f"Energy,{n},2026-11-21 09:30\n" for n in range(MAX_ROWS + 5))
    parsed = parse_measurements(("kpi,value,measured_at\n" + rows).encode())
    assert keys(parsed) == [(MAX_ROWS + 2, "my_trials.csv.too_many")]
    exactly = "".join(f"Energy,{n},2026-11-21 09:30\n" for n in range(MAX_ROWS))
    full = parse_measurements(("kpi,value,measured_at\n" + exactly).encode())
    assert len(full.readings) == MAX_ROWS


def test_a_file_larger_than_the_limit_is_refused_whole():
    assert keys(parse_measurements(b"x" * (MAX_BYTES + 1))) == [(0, "my_trials.csv.too_large")]


def test_any_bytes_give_readings_or_problems_never_an_exception():
    rng = random.Random(20261121)
    alphabet = b'kpivalue,measured_at0123456789.-:T+Z "\n\r\x00\xff\xe4\xb8'
    for _ in range(2000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        if rng.random() < .7:
            data = b"kpi,value,measured_at\n" + data
        parsed = parse_measurements(data)
        assert parsed.readings or parsed.problems


@pytest.mark.parametrize(("text", "number"), [
    ("12", 12.0), (" -3.5 ", -3.5), ("1e3", 1000.0), (".5", 0.5), ("+2.", 2.0),
    ("", None), ("NaN", None), ("inf", None), ("1,234", None), ("12 kWh", None), ("0x10", None),
    ("1e400", None),
])
def test_numbers_are_written_plainly(text, number):
    assert number_of(text) == number


@pytest.mark.parametrize(("text", "iso"), [
    ("2026-11-21T09:30:00+08:00", "2026-11-21T09:30:00+08:00"),
    ("2026-11-21T01:30:00Z", "2026-11-21T01:30:00+00:00"),
    ("2026-11-21 09:30", "2026-11-21T09:30:00+08:00"),
    ("2026-11-21T09:30", "2026-11-21T09:30:00+08:00"),
    ("2026-11-21 09:30:15", "2026-11-21T09:30:15+08:00"),
    ("2026-11-21", None), ("2026-11-21T09:30:00.5", None), ("21/11/2026 09:30", None),
    ("2026-02-30 09:30", None), ("", None), ("now", None),
])
def test_moments_carry_a_zone_or_mean_hong_kong_time(text, iso):
    found = moment_of(text)
    assert (found.isoformat() if found else None) == iso


def test_the_single_reading_form_as_the_api_takes_it():
    body = measurement_body({"kpi": "Energy", "value": "12.5", "measured_at": "2026-11-21T09:30"})
    assert body == {"kpi": "Energy", "value": 12.5, "measured_at": "2026-11-21T09:30:00+08:00"}
    now = measurement_body({"kpi": "Energy", "value": "7", "measured_at": ""})
    assert now["measured_at"] is None
    # What cannot be read goes as typed, for the API to name in the reader's language.
    odd = measurement_body({"kpi": "Energy", "value": "twelve", "measured_at": "soon"})
    assert odd["value"] == "twelve" and odd["measured_at"] == "soon"
    assert datetime.fromisoformat(body["measured_at"]).astimezone(UTC).hour == 1


def test_the_apis_batch_errors_are_named_by_the_line_of_their_row():
    parsed = parse_measurements(
        b"kpi,value,measured_at\nA,1,2026-11-21 09:30\n\nB,2,2026-11-21 09:31\n")
    errors = [{"field": "items[1].kpi", "message": "is not a KPI of this trial"},
              {"field": "items[0].measured_at", "message": "is in the future"},
              {"field": "items", "message": "odd"}]
    assert batch_lines(errors, parsed.readings) == [
        (0, "", "odd"), (2, "measured_at", "is in the future"),
        (4, "kpi", "is not a KPI of this trial")]


def test_the_model_file_uses_the_trials_indicators_and_reads_back_cleanly():
    example = example_file([{"name": "Fault, lead time", "baseline": 0.0},
                            {"name": "False alarms", "baseline": 10.5}, {"name": "Third"}],
                           "2026-12-02T00:10:30.5Z")
    assert example.splitlines() == ["kpi,value,measured_at", '"Fault, lead time",0,2026-12-02 08:11',
                                    "False alarms,10.5,2026-12-02T08:12:00+08:00"]
    parsed = parse_measurements(example.encode())
    assert parsed.ok and [r.kpi for r in parsed.readings] == ["Fault, lead time", "False alarms"]
