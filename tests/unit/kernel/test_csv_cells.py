"""The one CSV rule of every download: UTF-8 with a BOM, a header row, formulas neutralised."""

import csv
import io

from innoportal import csv_cells
from services.portal.domain.open_data import cells


def test_a_document_reads_back_with_its_header_and_no_formula():
    data = csv_cells.csv_document(["id", "title", "tags"],
                                  [["s-1", "=1+1", ["a", "b"]], ["s-2", "升降機\x07", None]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["id", "title", "tags"], ["s-1", "'=1+1", "a;b"], ["s-2", "升降機", ""]]


def test_the_portal_downloads_use_the_kernels_rule_not_a_copy():
    for name in ("neutralised", "csv_cell", "csv_line", "csv_header", "csv_row", "encoded"):
        assert getattr(cells, name) is getattr(csv_cells, name), name
