"""Writing records out: CSV rows safe to open in a spreadsheet, JSON items, and XML-safe text."""

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

BOM = "\ufeff"  # so spreadsheet programs read the file as UTF-8 (and Chinese comes out right)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"
# Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; surrogates; U+FFFE/U+FFFF).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# In CSV, only tab, LF and CR of the C0 controls mean anything; the rest are dropped.
NOT_CSV = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 forbids (ElementTree would write them as they are)."""
    return NOT_XML.sub("", value)


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


def json_head(dataset: str, generated_at: str, names: list[str]) -> str:
    """A JSON download up to the opening of its `items` array."""
    head = json.dumps({"dataset": dataset, "generated_at": generated_at, "fields": names},
                      ensure_ascii=False)
    return head[:-1] + ', "items": ['


def json_item(row: Mapping[str, Any], first: bool) -> str:
    """One item of the `items` array, with the comma that separates it from the one before."""
    return ("" if first else ",") + "\n" + json.dumps(dict(row), ensure_ascii=False)


JSON_TAIL = "\n]}\n"


def encoded(text: str) -> bytes:
    """UTF-8 bytes of a piece of a download (a lone surrogate, which UTF-8 cannot carry, as `?`)."""
    return text.encode("utf-8", "replace")
