"""Paging through a list: which items a page holds, and the page links to offer."""

from dataclasses import dataclass

MAX_OFFSET = 100_000  # the services' APIs page no further than this


@dataclass(frozen=True)
class Paging:
    """Page `number` of a list of `total` items, `size` to a page."""

    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        """Items before this page."""
        return (self.number - 1) * self.size

    @property
    def last(self) -> int:
        """The last page there is (1 for an empty list)."""
        return max(1, -(-self.total // self.size))

    @property
    def first_item(self) -> int:
        """Position of this page's first item (1-based; 0 when empty)."""
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last_item(self) -> int:
        """Position of this page's last item."""
        return min(self.total, self.offset + self.size)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last, and a few around this one; None is a gap."""
        wanted = {1, self.last, *range(self.number - around, self.number + around + 1)}
        pages = sorted(p for p in wanted if 1 <= p <= self.last)
        out: list[int | None] = []
        for p in pages:
            if out and p - (out[-1] or 0) > 1:
                out.append(None)
            out.append(p)
        return out


def max_page(size: int) -> int:
    """The highest page number the APIs can serve at this page size."""
    return MAX_OFFSET // size + 1
