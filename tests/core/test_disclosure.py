"""Suppression survives subtraction: no hidden count can be worked out from what is shown."""

import itertools
import random

from plased.disclosure import THRESHOLD, suppress


def _consistent(
    cells: list[tuple[str, int | None]], total: int | None, limit: int
) -> list[dict[str, int]]:
    """Every assignment of the hidden cells (1 to ``limit`` each, 0 never being hidden) that
    agrees with what was published: what an attacker can know."""
    hidden = [key for key, count in cells if count is None]
    shown = sum(count for _, count in cells if count is not None)
    options = []
    for values in itertools.product(range(1, limit + 1), repeat=len(hidden)):
        if total is None or shown + sum(values) == total:
            options.append(dict(zip(hidden, values, strict=True)))
    return options


def test_small_cells_and_their_complements_are_hidden() -> None:
    cells, total = suppress({"urgent": 6, "emergency": 1}, total=7)
    assert [(c.key, c.count, c.suppressed) for c in cells] == [
        ("emergency", None, True),
        ("urgent", None, True),
    ]
    assert total == 7
    cells, total = suppress({"a": 3, "b": 0}, total=3)  # the total itself is small
    assert total is None and [(c.key, c.count) for c in cells] == [("a", None), ("b", 0)]
    cells, _ = suppress({"a": 10, "b": 8, "c": 2, "d": 0}, total=20)
    assert {c.key: c.count for c in cells} == {"a": 10, "b": None, "c": None, "d": 0}
    cells, _ = suppress({"a": 2, "b": 3, "c": 9}, total=14)  # two hidden already: enough
    assert {c.key: c.count for c in cells} == {"a": None, "b": None, "c": 9}
    cells, _ = suppress({"x": 3, "y": 12})  # no published total: nothing to subtract from
    assert {c.key: c.count for c in cells} == {"x": None, "y": 12}


def test_no_hidden_cell_is_ever_determined() -> None:
    """Brute force over many breakdowns: for every hidden cell at least two values remain
    possible given the published cells and total."""
    rng = random.Random(9457)
    for _ in range(400):
        size = rng.randint(1, 5)
        counts = {f"k{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14]) for i in range(size)}
        total = sum(counts.values())
        cells, shown_total = suppress(counts, total=total)
        published = [(c.key, c.count) for c in cells]
        if shown_total is None:
            assert all(count in (None, 0) for _, count in published)
            continue
        worlds = _consistent(published, shown_total, limit=max(counts.values()) + THRESHOLD)
        assert worlds, counts
        for key, count in published:
            if count is None:
                assert len({world[key] for world in worlds}) > 1, (counts, published)


def test_no_hidden_cell_is_a_subtraction_away() -> None:
    """Every breakdown of up to four cells of 0–12 people: from the published total and the
    cells shown, each hidden cell could hold more than one value (DESIGN §9)."""
    import itertools

    from plased import disclosure

    for counts in itertools.product(range(13), repeat=3):
        cells = dict(zip("abc", counts, strict=True))
        total = sum(counts)
        shown, published = disclosure.suppress(cells, total=total)
        hidden = [c for c in shown if c.suppressed]
        if published is None or not hidden:
            continue
        rest = published - sum(c.count or 0 for c in shown if not c.suppressed)
        # Each hidden cell holds 1 or more; with two or more hidden sharing `rest` >= 5,
        # a hidden cell may be anything from 1 to rest - (others hidden), a range.
        assert len(hidden) >= 2 and rest >= disclosure.THRESHOLD, (cells, shown)
        assert rest - (len(hidden) - 1) > 1
