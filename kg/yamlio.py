"""Read text and YAML files strictly, keeping line numbers for error messages."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError, Location
from kg.gcpause import gc_paused
from kg.yamlfast import fast_load

__all__ = [
    "MAX_FILE_BYTES",
    "LineDict",
    "decode_text",
    "display_path",
    "load_yaml",
    "load_yaml_text",
    "read_bytes",
    "read_text",
]


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers the line of itself and of each key (1-based).

    Whoever makes one sets both. Slots, not an instance ``__dict__`` (a file has hundreds of
    mappings): the fast reader reads a file in about two thirds of the time.
    """

    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of ``key`` if present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as users should see it: relative to ``base`` (default: the working directory)
    when inside it."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: its own path, without any '..'
        resolved = Path(os.path.abspath(path))
    try:
        return str(resolved.relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


# libyaml's parser (when PyYAML was built with it) reads large files many times faster; the
# construction below (line numbers, duplicate keys, dates as text) is the same for both.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BYTE_POSITIONS = _SafeLoader is not yaml.SafeLoader


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that builds LineDicts, refuses duplicate keys and keeps dates as text."""

    anchors_possible = True

    def construct_document(self, node: yaml.Node) -> Any:
        if self.anchors_possible:
            size = _expanded_size(node, MAX_YAML_NODES)
            if size > MAX_YAML_NODES:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"aliases expand the file to more than {MAX_YAML_NODES} values; "
                    "write the values out instead of repeating aliases",
                    node.start_mark,
                )
            return super().construct_document(node)
        # No anchor, so no alias: every node is used once, and the common nodes (plain
        # mappings, sequences and strings) are built here without the generic machinery.
        return _construct_plain(self, node)


_STR = "tag:yaml.org,2002:str"
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


def _construct_plain(loader: _Loader, node: yaml.Node) -> Any:
    """``node`` as ``construct_object`` makes it, faster for the tags annotation files use."""
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _SEQ:
        return [_construct_plain(loader, item) for item in node.value]
    if tag != _MAP:
        return loader.construct_object(node, deep=True)  # other scalars...
    result = LineDict()
    result.line = node.start_mark.line + 1
    lines: dict[str, int] = {}
    result.key_lines = lines
    for key_node, value_node in node.value:
        if key_node.tag != _STR:  # a merge key, a number as key...
            return loader.construct_object(node, deep=True)
        key = key_node.value
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = _construct_plain(loader, value_node)
        lines[key] = key_node.start_mark.line + 1
    return result


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


def _resolve(self: _Loader, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    """The tag of a node without one, as ``Resolver.resolve`` gives it, but quicker: the
    loader has no path resolvers (checked below), so only plain scalars are looked at."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, pattern in _IMPLICIT.get(value[:1], _ANY_START):
                if pattern.match(value):
                    return str(tag)
        return _STR
    return _SEQ if kind is yaml.SequenceNode else _MAP


def _no_path(self: _Loader, *args: Any) -> None:
    """Path resolvers follow the node path; the loader has none, so there is none to follow."""


assert not _Loader.yaml_path_resolvers
_ANY_START = tuple(_Loader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    start: (*resolvers, *_ANY_START)
    for start, resolvers in _Loader.yaml_implicit_resolvers.items()
    if start is not None
}
_IMPLICIT.setdefault("", _ANY_START)
_Loader.resolve = _resolve
_Loader.descend_resolver = _no_path
_Loader.ascend_resolver = _no_path
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger input files are refused: no article or annotation file is anywhere near this."""
MAX_YAML_NODES = 200_000
"""YAML aliases may repeat a value, but not expand a file beyond this many values: a 1 KB
"billion laughs" file would otherwise take gigabytes once printed."""
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_C1_CONTROL = re.compile("[\x80-\x9f]")  # only ever seen in text decoded with a wrong charset


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES, *, shown: str | None = None) -> bytes:
    """A regular file's bytes. Symlink loops, folders, devices, FIFOs and sockets, and files
    over ``limit`` bytes are refused with one-line errors before anything is opened.
    ``shown`` is how errors name the file (by default its :func:`display_path`)."""
    shown = display_path(path) if shown is None else shown
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(
                "symlink loop: the link never reaches a file", Location(shown)
            ) from None
        raise InputError(f"cannot read file: {exc.strerror}", Location(shown)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file", Location(shown))
    if not stat.S_ISREG(info.st_mode):
        what = "FIFO" if stat.S_ISFIFO(info.st_mode) else "socket"
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            what = "device"
        raise InputError(f"not a regular file (a {what}); give a file", Location(shown))
    if info.st_size > limit:
        raise InputError(
            f"too large ({info.st_size / 2**20:.0f} MiB; at most {limit / 2**20:.0f} MiB): "
            "split it", Location(shown)
        )  # fmt: skip
    try:
        with path.open("rb") as handle:
            # As many bytes as the file holds, and one more: read(limit + 1) would make (and
            # give back) a buffer of ``limit`` bytes for every file.
            raw = handle.read(min(info.st_size, limit) + 1)
            if len(raw) > info.st_size:  # it grew since: the rest, as far as the limit
                raw += handle.read(limit + 1 - len(raw))
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Location(shown)) from None
    if len(raw) > limit:
        raise InputError(f"too large (over {limit / 2**20:.0f} MiB): split it", Location(shown))
    return raw


def decode_text(raw: bytes, shown: str, declared: str | None = None) -> str:
    """Decode a file's bytes: a byte-order mark wins (UTF-8, UTF-16, UTF-32), then the declared
    encoding, then UTF-8. Bytes that are not text, or text that could only come from a wrong
    encoding (C1 control characters), are refused naming the line.

    >>> decode_text("Ташкент".encode("utf-16"), "a.txt")
    'Ташкент'
    >>> decode_text("café".encode("utf-8"), "a.html", declared="iso-8859-1")
    'café'
    """
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    if encoding is None and declared:
        try:
            declared = codecs.lookup(declared).name
        except LookupError:
            raise InputError(
                f"unknown encoding {declared!r} declared", Location(shown, 1)
            ) from None
        encoding = declared
        if declared != "utf-8" and not raw.isascii():
            # Valid multi-byte UTF-8 is almost never meant as a one-byte charset: the page's
            # declaration is wrong (a common fault of copied pages).
            with contextlib.suppress(UnicodeDecodeError):
                raw.decode("utf-8")
                encoding = "utf-8"
    if encoding is None:
        if b"\x00" in raw:
            line = raw[: raw.index(b"\x00")].count(b"\n") + 1
            raise InputError(
                "binary file (NUL byte found; UTF-16 needs a byte-order mark); expected text",
                Location(shown, line),
            )
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        name = "UTF-8" if encoding.startswith("utf-8") else encoding
        raise InputError(
            f"not valid {name} (byte 0x{raw[exc.start]:02x}); re-save the file as UTF-8",
            Location(shown, line),
        ) from None
    text = text.lstrip("\ufeff")
    bad = None if text.isascii() else _C1_CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(
            f"control character U+{ord(bad.group()):04X}: a wrong or undeclared encoding "
            f"({encoding}); re-save the file as UTF-8",
            Location(shown, line),
        )
    return text


def read_text(path: Path) -> str:
    """Read a text file (UTF-8, or UTF-16/32 with a byte-order mark), refusing binary,
    undecodable and non-regular files with file:line errors."""
    return decode_text(read_bytes(path), display_path(path))


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many nodes the document has once its aliases are expanded (stops past ``limit``)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes and sizes[id(node)] >= 0:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if children_done:
            sizes[id(node)] = min(limit + 1, 1 + sum(sizes[id(c)] for c in children))
            continue
        if sizes.get(id(node)) == -1:
            raise yaml.constructor.ConstructorError(None, None, "recursive alias", node.start_mark)
        sizes[id(node)] = -1
        stack.append((node, True))
        stack.extend((c, False) for c in children if sizes.get(id(c), -2) < 0)
    return sizes[id(root)]


def load_yaml_text(text: str, shown: str, *, first_line: int = 1) -> Any:
    """Parse YAML text; errors name ``shown`` and the line (offset by ``first_line``)."""
    try:
        with gc_paused():
            found = fast_load(text, _Loader, LineDict)
            if found is not None:
                return found
            loader = _Loader(text)
            loader.anchors_possible = "&" in text  # no anchor, no alias: skip the size check
            try:
                return loader.get_single_data()
            finally:
                loader.dispose()
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


def load_yaml(path: Path, shown: str | None = None) -> Any:
    """Read and parse a YAML file; an empty file is an error, not ``None``. Errors name
    ``shown`` (by default, the path's :func:`display_path`)."""
    shown = shown or display_path(path)
    text = decode_text(read_bytes(path, shown=shown), shown)
    if not text.strip():
        raise InputError("empty file", Location(shown))
    return load_yaml_text(text, shown)
