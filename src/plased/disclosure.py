"""Counts of people that cannot point at a person, even by subtraction.

Every breakdown of people or referrals the API publishes goes through ``suppress``:

1. *Primary*: a count from 1 to 4 is not published.
2. *Small totals*: when the breakdown's total is itself from 1 to 4, nothing of it is
   published (the total either).
3. *Complementary*: when a breakdown's total is published, the hidden cells must be at least
   two and together hold at least 5 people; otherwise the smallest other non-zero cells are
   hidden too, one by one, until they are. (One hidden cell is the total minus the cells
   shown; two hidden cells holding 2 people are 1 and 1.) If no cell is left to hide, the
   total is hidden instead.

A hidden cell is published as ``count: null, suppressed: true``, the same for primary and
complementary suppression, so a reader cannot tell which cell was the small one. Zero is
published: an empty cell identifies nobody.
"""

from collections.abc import Mapping
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    key: str
    count: int | None
    suppressed: bool


def small(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress(
    counts: Mapping[str, int], *, total: int | None = None
) -> tuple[list[Cell], int | None]:
    """The cells (sorted by key) and the total as they may be published. ``total`` is the
    published total of the breakdown, or None when the breakdown has none."""
    if total is not None and small(total):
        cells = [Cell(key, None, True) if n else Cell(key, 0, False) for key, n in counts.items()]
        return sorted(cells, key=lambda cell: cell.key), None
    hidden = {key for key, n in counts.items() if small(n)}
    if total is not None and hidden:
        others = sorted((n, key) for key, n in counts.items() if n > 0 and key not in hidden)
        while len(hidden) < 2 or sum(counts[key] for key in hidden) < THRESHOLD:
            if not others:
                total = None  # nothing left to hide the small cells behind: hide the total
                break
            hidden.add(others.pop(0)[1])
    cells = [
        Cell(key, None, True) if key in hidden else Cell(key, n, False)
        for key, n in sorted(counts.items())
    ]
    return cells, total


def value(count: int) -> int | None:
    """A single published count of people (no breakdown around it)."""
    return None if small(count) else count
