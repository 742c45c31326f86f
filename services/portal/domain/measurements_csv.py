"""Measurements as people give them: a CSV file (columns kpi, value, measured_at) read into
readings, each of its problems named by the line it is on (the header is line 1) whatever the
file holds, and the one-reading form.

`measured_at` is an ISO 8601 date-time with a zone, or a date and time without one
(`YYYY-MM-DD HH:MM`, seconds optional), which means Hong Kong time.
"""

import csv
import io
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from innoportal.fields import HONG_KONG
from services.portal.domain.queries import Problem

COLUMNS = ("kpi", "value", "measured_at")
MAX_ROWS = 1000  # the trials API stores at most this many in one batch
MAX_BYTES = 256 * 1024
# A date and time without a zone: Hong Kong time.
LOCAL_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?")


@dataclass(frozen=True)
class Reading:
    """One row: the line it starts on, and the reading as the trials API takes it."""

    line: int
    kpi: str
    value: float
    measured_at: str  # ISO 8601 with its zone

    def item(self) -> dict[str, Any]:
        """The batch item of this reading."""
        return {"kpi": self.kpi, "value": self.value, "measured_at": self.measured_at}


@dataclass(frozen=True)
class LineProblem:
    """What is wrong on a line (0: the file as a whole)."""

    line: int
    problem: Problem


@dataclass(frozen=True)
class Parsed:
    """The readings of a file, or the problems that keep it from being sent."""

    readings: list[Reading] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every row could be read (and there is at least one)."""
        return not self.problems


def number_of(text: str) -> float | None:
    """A finite number written plainly (12, -3.5, 1e3), or None."""
    value = text.strip()
    if not value or not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def moment_of(text: str) -> datetime | None:
    """An ISO 8601 date-time with a zone, or YYYY-MM-DD HH:MM[:SS] in Hong Kong time; or None."""
    value = text.strip()
    if LOCAL_MOMENT.fullmatch(value):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=HONG_KONG)
        except ValueError:
            return None
    if len(value) > 40 or not value[:4].isdigit():
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and moment.utcoffset() is not None else None


def _decoded(data: bytes) -> str | LineProblem:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return LineProblem(data.count(b"\n", 0, exc.start) + 1, Problem("my_trials.csv.not_utf8"))


def _rows(text: str) -> Iterator[tuple[int, list[str] | None]]:
    """Each record with the line it starts on; None for a record the csv module cannot read."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, None
            return
        yield line, row
        line = reader.line_num + 1


def _header(row: list[str], line: int) -> dict[str, int] | LineProblem:
    names = [cell.strip().casefold() for cell in row]
    if sorted(names) != sorted(COLUMNS):
        found = {"columns": ",".join(COLUMNS), "found": ",".join(row)[:200]}
        return LineProblem(line, Problem("my_trials.csv.columns", found))
    return {name: names.index(name) for name in COLUMNS}


def _reading(line: int, row: list[str], at: dict[str, int]) -> Reading | list[LineProblem]:
    if len(row) != len(COLUMNS):
        return [LineProblem(line, Problem("my_trials.csv.cells",
                                          {"count": len(row), "expected": len(COLUMNS)}))]
    kpi, value, when = (row[at[name]] for name in COLUMNS)
    problems = []
    if not kpi.strip():
        problems.append(Problem("my_trials.csv.kpi_blank"))
    number = number_of(value)
    if number is None:
        problems.append(Problem("my_trials.csv.value", {"value": value.strip()[:40]}))
    moment = moment_of(when)
    if moment is None:
        problems.append(Problem("my_trials.csv.measured_at", {"value": when.strip()[:40]}))
    if problems:
        return [LineProblem(line, p) for p in problems]
    return Reading(line, kpi.strip(), number,  # type: ignore[arg-type]
                   moment.isoformat())  # type: ignore[union-attr]


def parse_measurements(data: bytes) -> Parsed:
    """The readings of a CSV file, or every problem found, each by its line."""
    if len(data) > MAX_BYTES:
        return Parsed(problems=[LineProblem(0, Problem("my_trials.csv.too_large",
                                                       {"kb": MAX_BYTES // 1024}))])
    text = _decoded(data)
    if isinstance(text, LineProblem):
        return Parsed(problems=[text])
    at: dict[str, int] | None = None
    readings: list[Reading] = []
    problems: list[LineProblem] = []
    count = 0
    for line, row in _rows(text):
        if row is None:
            problems.append(LineProblem(line, Problem("my_trials.csv.unreadable")))
            break
        if not any(cell.strip() for cell in row):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        if at is None:
            header = _header(row, line)
            if isinstance(header, LineProblem):
                return Parsed(problems=[header])
            at = header
            continue
        if count == MAX_ROWS:
            problems.append(LineProblem(line, Problem("my_trials.csv.too_many", {"max": MAX_ROWS})))
            break
        count += 1
        found = _reading(line, row, at)
        if isinstance(found, Reading):
            readings.append(found)
        else:
            problems += found
    if at is None:
        return Parsed(problems=[LineProblem(0, Problem("my_trials.csv.empty"))])
    if not readings and not problems:
        problems.append(LineProblem(0, Problem("my_trials.csv.no_rows")))
    return Parsed(readings, problems)


def measurement_body(typed: Mapping[str, str]) -> dict[str, Any]:
    """The single-reading form as the API takes it: an empty time means now; a time without a
    zone is Hong Kong time; a value or time that cannot be read goes as typed, for the API to
    name."""
    when = typed.get("measured_at", "").strip()
    moment = moment_of(when) if when else None
    number = number_of(typed.get("value", ""))
    return {"kpi": typed.get("kpi", ""),
            "value": number if number is not None else (typed.get("value", "").strip() or None),
            "measured_at": moment.isoformat() if moment else (when or None)}


def batch_lines(errors: list[dict[str, str]],
                readings: list[Reading]) -> list[tuple[int, str, str]]:
    """The trials API's batch errors as (line, column, message): items[N] is the Nth reading."""
    out = []
    for error in errors:
        head, _, column = str(error.get("field", "")).partition("].")
        index = head[6:] if head.startswith("items[") else ""
        line = readings[int(index)].line if index.isdigit() and int(index) < len(readings) else 0
        out.append((line, column if line else "", str(error.get("message", ""))))
    return sorted(out, key=lambda p: p[0])


def example_file(kpis: list[Mapping[str, Any]], start: str | None) -> str:
    """A short file of a trial's own indicators, as a model: readings from a minute after the
    start, one in each way of writing the time."""
    began = moment_of(start or "") or datetime.now(HONG_KONG)
    first = (began.astimezone(HONG_KONG) + timedelta(minutes=1)).replace(second=0, microsecond=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for n, kpi in enumerate(kpis[:2]):
        at = first + timedelta(minutes=n)
        when = at.strftime("%Y-%m-%d %H:%M") if n == 0 else at.isoformat()
        writer.writerow((kpi.get("name", ""), f"{float(kpi.get('baseline') or 0):g}", when))
    return out.getvalue()
