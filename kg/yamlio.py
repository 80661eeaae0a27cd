"""Read text and YAML files strictly, keeping line numbers for error messages."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError, Location

__all__ = ["LineDict", "display_path", "load_yaml", "load_yaml_text", "read_text"]


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of ``key`` if present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


def display_path(path: Path) -> str:
    """A path as users should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# libyaml's parser (when PyYAML was built with it) reads large files many times faster; the
# construction below (line numbers, duplicate keys, dates as text) is the same for both.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BYTE_POSITIONS = _SafeLoader is not yaml.SafeLoader


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that builds LineDicts, refuses duplicate keys and keeps dates as text."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates keep their written form (and so their precision); kg.dates parses them.
    return str(loader.construct_scalar(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing binary and undecodable files with file:line errors."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Location(shown)) from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError("binary file (NUL byte found); expected UTF-8 text", Location(shown, line))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); re-save the file as UTF-8",
            Location(shown, line),
        ) from None


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: parsing builds millions of acyclic objects, and
    its repeated full passes made a 7 MB file take 10 s instead of 2 (measured)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_yaml_text(text: str, shown: str, *, first_line: int = 1) -> Any:
    """Parse YAML text; errors name ``shown`` and the line (offset by ``first_line``)."""
    try:
        with _no_gc():
            return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"malformed YAML: {reason}", Location(shown, line)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. U+001B
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters.
        if _BYTE_POSITIONS:
            line = text.encode("utf-8")[: exc.position].count(b"\n") + first_line
        else:
            line = text[: exc.position].count("\n") + first_line
        char = exc.character
        what = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        reason = f"character {what} is not allowed ({exc.reason})"
        raise InputError(f"malformed YAML: {reason}", Location(shown, line)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {' '.join(str(exc).split())}", Location(shown)) from None


def load_yaml(path: Path) -> Any:
    """Read and parse a YAML file; an empty file is an error, not ``None``."""
    shown = display_path(path)
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file", Location(shown))
    return load_yaml_text(text, shown)
