"""Run a function over contiguous ranges: this process the first, forked processes the others."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any, TypeVar

__all__ = ["in_ranges"]

T = TypeVar("T")

_FN: list[Callable[[int, int], Any]] = []
"""The function the processes of :func:`in_ranges` call (inherited: they are forked)."""


def _call(start: int, stop: int) -> Any:
    return _FN[0](start, stop)


def in_ranges(fn: Callable[[int, int], T], bounds: Sequence[int]) -> list[T]:
    """``fn(bounds[k], bounds[k + 1])`` for each range, the results in order: the first range
    in this process, each other in a forked one (``fn`` is inherited, never pickled; its
    results are). Where processes cannot be forked, every range runs here in turn.

    >>> in_ranges(lambda start, stop: list(range(start, stop)), [0, 2, 5])
    [[0, 1], [2, 3, 4]]
    """
    import multiprocessing

    ranges = list(pairwise(bounds))
    if len(ranges) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(start, stop) for start, stop in ranges]
    from concurrent.futures import ProcessPoolExecutor

    _FN[:] = [fn]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(ranges) - 1, mp_context=context) as pool:
            later = [pool.submit(_call, start, stop) for start, stop in ranges[1:]]
            first = fn(*ranges[0])
            return [first, *(future.result() for future in later)]
    finally:
        _FN.clear()
