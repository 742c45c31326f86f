"""CSV for spreadsheets, one rule for every service: UTF-8 with a BOM, and no cell a spreadsheet
would run as a formula (CSV injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
leading `'`)."""

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

BOM = "\ufeff"  # so spreadsheet programs read the file as UTF-8 (and Chinese comes out right)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"
# In CSV, only tab, LF and CR of the C0 controls mean anything; the rest are dropped.
NOT_CSV = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MEDIA_TYPE = "text/csv; charset=utf-8"


def neutralised(value: str) -> str:
    """A text cell a spreadsheet will not run: one starting like a formula gets a leading `'`."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cell(value: Any) -> str:
    """One CSV cell: empty for none, lists joined by `;`, numbers as written, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    return neutralised(NOT_CSV.sub("", str(value)))


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV line (RFC 4180: quoted where needed, CRLF at the end)."""
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(c) for c in cells])
    return out.getvalue()


def csv_header(names: Iterable[str]) -> str:
    """The first line of a CSV download: the BOM and the field names."""
    return BOM + csv_line(names)


def csv_row(row: Mapping[str, Any]) -> str:
    """A record's line, its cells in the row's order."""
    return csv_line(row.values())


def csv_document(names: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file as UTF-8 bytes: the BOM and header, then one line per row."""
    text = csv_header(names) + "".join(csv_line(row) for row in rows)
    return encoded(text)


def encoded(text: str) -> bytes:
    """UTF-8 bytes of a piece of a download (a lone surrogate, which UTF-8 cannot carry, as `?`)."""
    return text.encode("utf-8", "replace")
