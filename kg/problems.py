"""Validation problems: a reason code, a message and a location, reported rather than dropped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kg.errors import KgError, Location, pickled_by_fields

__all__ = ["Problem", "Severity"]

Severity = Literal["error", "warning"]


@pickled_by_fields
@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, e.g. ``quote-not-found`` at ``a.yaml:12``."""

    location: Location
    code: str
    message: str
    severity: Severity = "error"

    def sort_key(self) -> tuple[tuple[str, int, str], str, str]:
        return (self.location.sort_key(), self.code, self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

    @classmethod
    def from_error(cls, error: KgError, code: str, fallback: Location) -> Problem:
        """Turn a raised KgError into a problem, keeping its location when it has one."""
        return cls(error.location or fallback, code, error.message)
