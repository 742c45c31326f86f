"""The portal's open data: the datasets and their fields, CSV and JSON rows, and Atom feeds.

No I/O here: the service layer pages through the APIs and hands the records to these functions.
"""

from services.portal.domain.open_data.datasets import (
    DATASETS,
    FEED_SIZE,
    FORMATS,
    Dataset,
    Field,
    row_of,
)

__all__ = ["DATASETS", "FEED_SIZE", "FORMATS", "Dataset", "Field", "row_of"]
