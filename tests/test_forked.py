"""kg.forked: a function over contiguous ranges, the first here, the others in forked processes."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from kg.errors import InputError
from kg.forked import in_ranges

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here"
)


@needs_fork
def test_the_first_range_runs_here_the_others_forked_in_order() -> None:
    here = os.getpid()
    local = {"unpicklable": lambda: None}  # a closure: inherited, never pickled

    def span(start: int, stop: int) -> tuple[int, int, int, bool]:
        return start, stop, os.getpid(), "unpicklable" in local

    found = in_ranges(span, [0, 3, 7, 10])
    assert [(start, stop) for start, stop, _, _ in found] == [(0, 3), (3, 7), (7, 10)]
    assert found[0][2] == here
    assert here not in {pid for _, _, pid, _ in found[1:]}
    assert all(seen for *_, seen in found)


def test_one_range_runs_here() -> None:
    assert in_ranges(lambda start, stop: (start, stop, os.getpid()), [2, 5]) == [
        (2, 5, os.getpid())
    ]
    assert in_ranges(lambda start, stop: start, [4]) == []


@needs_fork
def test_an_error_in_a_forked_range_is_raised_here() -> None:
    def fails_later(start: int, stop: int) -> int:
        if start:
            raise InputError(f"range {start}-{stop} failed")
        return 0

    with pytest.raises(InputError, match="range 5-10 failed"):
        in_ranges(fails_later, [0, 5, 10])
