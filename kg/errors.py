"""The one exception tree of kg: every error a user can cause is a KgError."""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields
from typing import Any, TypeVar

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
    "pickled_by_fields",
]

_T = TypeVar("_T")
_PICKLED: dict[str, Any] = {}
"""The maker of each class of :func:`pickled_by_fields` (its field values -> an object), by the
class's name."""


def pickled_by_fields(cls: type[_T]) -> type[_T]:
    """A frozen dataclass that pickles as its name and the tuple of its field values,
    remade by one function of this module (:func:`_rebuilt`).

    Python's default pickle of a dataclass holds its module and class (imported again by every
    ``pickle.loads`` of every pickle holding it: ~5 us each way per class per pickle) and its
    field names: the build's pickles of documents, problems and its result are dumped and
    loaded in half the time, and are a quarter smaller. The object loaded is the same (fields,
    in their order; equality, repr, hash); ``__post_init__`` is not run again (the values were
    checked when made). (What the build stores in bulk, each description and statement, is
    pickled as plain tuples instead, no call per object: see :mod:`kg.plain`.)
    """
    name = cls.__qualname__
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    if name in _PICKLED or len(names) < 2:
        raise TypeError(f"{name}: a second class of that name, or fewer than two fields")
    # The fields set by one unpacking into the new object's __dict__ (code made as dataclasses
    # makes its methods): each object loaded in a third of the time of a loop over the names.
    code = "def make(values):\n obj = new(cls)\n d = obj.__dict__\n "
    code += ", ".join(f"d[{n!r}]" for n in names) + " = values\n return obj\n"
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    exec(code, scope)  # the field names of a dataclass: identifiers
    _PICKLED[name] = scope["make"]
    values = operator.attrgetter(*names)  # a tuple of the values, in the fields' order

    # (__reduce_ex__, which pickle calls, rather than object's calling __reduce__: 1 us less)
    def __reduce_ex__(self: Any, protocol: object) -> tuple[Any, tuple[str, tuple[Any, ...]]]:
        return _rebuilt, (name, values(self))

    cls.__reduce_ex__ = __reduce_ex__  # type: ignore[method-assign]
    return cls


def _rebuilt(name: str, values: tuple[Any, ...]) -> Any:
    """The object :func:`pickled_by_fields` pickled as ``name`` and ``values``."""
    if name not in _PICKLED:  # loaded where the modules of such classes are not imported yet
        import kg.model
        import kg.problems  # noqa: F401
    return _PICKLED[name](values)


@pickled_by_fields
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
