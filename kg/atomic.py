"""Files written whole or not at all: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import InputError

__all__ = ["atomic_path", "write_atomic"]


def _create_beside(path: Path) -> Path:
    """A new empty file next to ``path``, created with mode 0o666 so the user's umask decides
    its permissions, as for any file the user's tools write (``tempfile.mkstemp`` would force
    0o600 and the result would stay private after the rename)."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return temporary
        except FileExistsError:  # pragma: no cover - 32 random bits clashed
            continue


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write; when the block ends without error it replaces ``path``.
    On any error ``path`` is left as it was and the temporary file is removed. Operating
    system errors become an ``InputError`` naming ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _create_beside(path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Run ``write`` on a temporary file beside ``path``, then move it into place, so a
    failure leaves no half-written file (see ``atomic_path``)."""
    with atomic_path(path) as temporary:
        write(temporary)
