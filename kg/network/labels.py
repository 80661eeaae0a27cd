"""Label placement: each label goes to the first free spot around its node, or is left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Box", "Spot", "overlap", "place_labels"]

Box = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)`` with ``x0 <= x1`` and ``y0 <= y1`` (any unit, y up or down)."""

# Directions tried around a node, in order of preference: above, below, right, left, then
# the four diagonals. Each is a unit step (dx, dy) for the gap and the label's half size.
_DIRECTIONS = (
    (0, 1),
    (0, -1),
    (1, 0),
    (-1, 0),
    (1, 1),
    (-1, 1),
    (1, -1),
    (-1, -1),
)
_RINGS = 4
"""How many distances from the node are tried; beyond the first, a leader line is drawn."""


@dataclass(frozen=True)
class Spot:
    """Where a label goes: its centre, its box, and whether it sits away from its node (so
    a leader line should join them)."""

    x: float
    y: float
    box: Box
    far: bool


def overlap(a: Box, b: Box) -> bool:
    """True when two boxes share more than an edge.

    >>> overlap((0, 0, 2, 2), (1, 1, 3, 3)), overlap((0, 0, 1, 1), (1, 0, 2, 1))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box, bounds: Box) -> bool:
    x0, y0, x1, y1 = bounds
    return x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1


def place_labels(
    anchors: Sequence[tuple[float, float, float]],
    sizes: Sequence[tuple[float, float]],
    bounds: Box,
    *,
    gap: float = 2.0,
) -> list[Spot | None]:
    """For each anchor ``(x, y, radius)``, in priority order, a spot for its label of size
    ``(width, height)`` that overlaps no label placed before it, no other anchor's node
    (taken as its square ``2 * radius`` wide) and stays within ``bounds``; ``None`` when none
    of the spots tried is free. Spots are tried above, below, right, left and on the
    diagonals, at ``gap`` from the node and then at growing distances.

    >>> spots = place_labels([(0, 0, 1), (0, 3, 1)], [(4, 1), (4, 1)], (-10, -10, 10, 10))
    >>> [(s.x, s.y) for s in spots if s]  # the first goes below: above is the second node
    [(0.0, -3.5), (0.0, 6.5)]
    >>> place_labels([(0, 0, 1)], [(40, 1)], (-10, -10, 10, 10))
    [None]
    """
    nodes = [(x - r, y - r, x + r, y + r) for x, y, r in anchors]
    placed: list[Box] = []
    spots: list[Spot | None] = []
    for index, ((x, y, radius), (width, height)) in enumerate(zip(anchors, sizes, strict=True)):
        obstacles = placed + nodes[:index] + nodes[index + 1 :]
        found = None
        for ring in range(_RINGS):
            distance = radius + gap + ring * height * 1.5
            for dx, dy in _DIRECTIONS:
                cx = float(x + dx * (distance + width / 2))
                cy = float(y + dy * (distance + height / 2))
                box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                if _inside(box, bounds) and not any(overlap(box, o) for o in obstacles):
                    found = Spot(cx, cy, box, ring > 0)
                    break
            if found:
                break
        if found:
            placed.append(found.box)
        spots.append(found)
    return spots
