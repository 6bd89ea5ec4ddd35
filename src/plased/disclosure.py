"""Counts of people that cannot point at a person, even by subtraction.

Every breakdown of people or referrals the API publishes goes through ``suppress``:

1. *Primary*: a count from 1 to 4 is not published.
2. *Small totals*: when the breakdown's total is itself from 1 to 4, nothing of it is
   published (the total either).
3. *Complementary*: when exactly one cell of a breakdown is hidden and the total is
   published, the smallest other non-zero cell is hidden too, so the hidden cell is never
   the total minus the cells shown.

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
    if total is not None and len(hidden) == 1:
        others = sorted((n, key) for key, n in counts.items() if n > 0 and key not in hidden)
        if others:
            hidden.add(others[0][1])
    cells = [
        Cell(key, None, True) if key in hidden else Cell(key, n, False)
        for key, n in sorted(counts.items())
    ]
    return cells, total


def value(count: int) -> int | None:
    """A single published count of people (no breakdown around it)."""
    return None if small(count) else count
