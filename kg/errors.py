"""The one exception tree of kg: every error a user can cause is a KgError."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DateError",
    "InputError",
    "KgError",
    "Location",
    "Neo4jError",
    "Neo4jUnavailable",
    "QueryError",
    "SchemaError",
    "ServerError",
    "ValidationFailed",
    "WorkspaceError",
]


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and a line (1-based) or a key path inside it."""

    file: str
    line: int | None = None
    key: str | None = None

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.key or "")

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
        if self.key:
            text += f" [{self.key}]"
        return text


class KgError(Exception):
    """Root of every error kg raises on purpose; the CLI prints it as one line.

    ``exit_code`` is what the command line exits with: 1 for bad input,
    2 for an unreachable or misconfigured service.
    """

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class SchemaError(KgError):
    """A schema file is malformed or inconsistent."""


class InputError(KgError):
    """An article, annotation or other input file cannot be read or parsed."""


class DateError(KgError):
    """A date is impossible, ambiguous or unparseable."""


class ValidationFailed(KgError):
    """Validation found errors; ``problems`` holds every one of them."""

    def __init__(self, problems: list[object], message: str | None = None) -> None:
        super().__init__(message or f"{len(problems)} problem(s) found")
        self.problems = problems


class WorkspaceError(KgError):
    """No workspace found, or its configuration is invalid."""


class Neo4jError(KgError):
    """Something went wrong talking to Neo4j."""

    exit_code = 2


class Neo4jUnavailable(Neo4jError):
    """The server cannot be reached or refuses the credentials."""


class ServerError(Neo4jError):
    """The local Neo4j server managed by ``kg neo4j`` failed to start, stop or install."""


class QueryError(KgError):
    """A Cypher query is unknown, malformed, or refused (for example a write without --write)."""
