"""Print rows of data as an aligned table, JSON or CSV; the options shared by commands."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = [
    "FORMATS",
    "format_option",
    "is_stdout",
    "jobs_option",
    "output_option",
    "render",
    "written_to",
]

FORMATS = ("table", "json", "csv")
F = TypeVar("F", bound=Callable[..., Any])


def format_option(default: str = "table") -> Callable[[F], F]:
    """The ``--format table|json|csv`` option shared by data-printing commands."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=default,
        show_default=True,
        help="Output format.",
    )


def output_option(help: str, *, dash: bool = False) -> Callable[[F], F]:
    """The ``-o/--output FILE`` option (``dash``: '-' is accepted, for standard output)."""
    kind = click.Path(dir_okay=False, allow_dash=dash, path_type=Path)
    return click.option("-o", "--output", type=kind, default=None, help=help)


def is_stdout(output: Path | None) -> bool:
    """``-o -``: write to standard output."""
    return output is not None and str(output) == "-"


@contextmanager
def written_to(output: Path | None, default: Path) -> Iterator[Path]:
    """Where a writer that needs a file path writes: ``output`` (``default`` when none); for
    ``-o -`` a scratch file of the same name, copied to standard output afterwards."""
    if not is_stdout(output):
        yield output or default
        return
    with tempfile.TemporaryDirectory(prefix="kg-") as scratch:
        target = Path(scratch) / default.name
        yield target
        with target.open(encoding="utf-8") as stream:
            shutil.copyfileobj(stream, sys.stdout)


def jobs_option(help: str, *, every_core: bool = False) -> Callable[[F], F]:
    """The ``-j/--jobs N`` option of commands that can share their work among processes
    (``every_core``: 0, the default, lets the command use every core when the work is large)."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=0 if every_core else 1),
        default=0 if every_core else 1,
        show_default=True,
        help=help,
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows as text in the chosen format; ``columns`` fixes the order (and the table header)."""
    if fmt == "json":
        return json.dumps(
            [{c: row.get(c) for c in columns} for row in rows],
            ensure_ascii=False,
            indent=2,
            default=str,
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return buffer.getvalue().rstrip("\n")
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)
