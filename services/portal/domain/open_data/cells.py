"""Writing records out: CSV rows safe to open in a spreadsheet, JSON items, and XML-safe text."""

import json
import re
from collections.abc import Mapping
from typing import Any

# CSV cells follow the kernel's one rule (UTF-8 with a BOM, formulas neutralised), shared with the
# matcher's survey download; re-exported here for the open data downloads.
from innoportal.csv_cells import (
    BOM,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    NOT_CSV,
    csv_cell,
    csv_header,
    csv_line,
    csv_row,
    encoded,
    neutralised,
)

__all__ = ["BOM", "FORMULA_STARTS", "JSON_TAIL", "LIST_SEPARATOR", "NOT_CSV", "NOT_XML",
           "csv_cell", "csv_header", "csv_line", "csv_row", "encoded", "json_head", "json_item",
           "neutralised", "xml_text"]

# Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; surrogates; U+FFFE/U+FFFF).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 forbids (ElementTree would write them as they are)."""
    return NOT_XML.sub("", value)


def json_head(dataset: str, generated_at: str, names: list[str]) -> str:
    """A JSON download up to the opening of its `items` array."""
    head = json.dumps({"dataset": dataset, "generated_at": generated_at, "fields": names},
                      ensure_ascii=False)
    return head[:-1] + ', "items": ['


def json_item(row: Mapping[str, Any], first: bool) -> str:
    """One item of the `items` array, with the comma that separates it from the one before."""
    return ("" if first else ",") + "\n" + json.dumps(dict(row), ensure_ascii=False)


JSON_TAIL = "\n]}\n"
