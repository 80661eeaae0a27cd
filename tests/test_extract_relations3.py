"""Relations of the third round of rules, on sentences written for these tests (invented names)."""

from __future__ import annotations

import pytest

from kg.extract.pipeline import Extractor
from tests.test_extract_relations2 import draft_of, extractor, relations

__all__ = ["extractor"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Estonia's Rescue Board and the State Agency for Roads were told to help.",
            ("part_of", "State Agency for Roads", "Estonia"),
        ),
    ],
)
def test_relations_found(extractor: Extractor, text: str, expected: tuple[str, ...]) -> None:
    assert expected in relations(draft_of(extractor, text))
