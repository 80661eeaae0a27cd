"""The gazetteer: known entities with names, aliases, demonyms and posts, and its name index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from kg import defaults
from kg.documents import document_id
from kg.errors import InputError, Location
from kg.ids import make_id
from kg.schema import Schema
from kg.yamlio import LineDict, display_path, load_yaml, load_yaml_text, read_text

from .tokens import is_acronym, name_key

__all__ = [
    "WORLD_FILE",
    "GazEntry",
    "Gazetteer",
    "GazetteerSource",
    "NameHit",
    "Post",
    "TrieNode",
    "load_gazetteer",
    "locate_gazetteer",
]

WORLD_FILE = Path(__file__).parent / "data" / "world.yaml"
"""Countries of the world, their capitals and demonyms, and common given names."""

_ENTRY_KEYS = frozenset(
    str.split(
        """
        name type kind aliases code demonyms country capital_of posts description
        """
    )
)


@dataclass(frozen=True)
class Post:
    """A post a person held: ``president`` of ``Kazakhstan`` from ``start`` to ``end`` (years)."""

    title: str
    of: str
    start: int
    end: int


@dataclass(frozen=True)
class GazEntry:
    """One known entity. ``document`` is set when it was learnt from that document's annotation."""

    key: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    code: str | None = None
    demonyms: tuple[str, ...] = ()
    country: str | None = None
    capital_of: str | None = None
    posts: tuple[Post, ...] = ()
    document: str | None = None
    learnt: tuple[tuple[str, str], ...] = ()
    """Aliases learnt from annotations, with the document each came from."""
    curated: bool = False
    """Whether ``key`` is the id a curated annotation gives this entity."""

    def names(self, exclude_document: str | None = None) -> tuple[str, ...]:
        learnt = tuple(a for a, doc in self.learnt if doc != exclude_document)
        return (self.name, *self.aliases, *learnt)


@dataclass(frozen=True)
class NameHit:
    """A name of the index: which entry, and whether it must match case-sensitively."""

    entry: int
    surface: str
    exact_case: bool
    document: str | None
    demonym: bool = False


TrieNode = tuple[dict[str, "TrieNode"], tuple[NameHit, ...]]
"""The tokens that may follow, and the hits of the name ending here (none: a prefix only)."""


@dataclass(frozen=True)
class Gazetteer:
    """Known entities and given names, with an index from token keys to entries."""

    entries: tuple[GazEntry, ...] = ()
    given_names: frozenset[str] = frozenset()
    index: Mapping[tuple[str, ...], tuple[NameHit, ...]] = field(default_factory=dict)
    trie: Mapping[str, TrieNode] = field(default_factory=dict)
    """The index's keys as a trie, token by token: each token leads to (next tokens, the hits
    of the key ending there), so the names starting at a word are found in one walk."""
    lower_starts: frozenset[str] = frozenset()
    """First tokens of names written with a lower-case first letter (al-Qaeda, bin Laden)."""

    @classmethod
    def build(
        cls,
        entries: Iterable[GazEntry],
        given_names: Iterable[str] = (),
        base: Iterable[GazEntry] = (),
    ) -> Gazetteer:
        """Index ``entries``; ``base`` entries (kg's world list) fill in names they lack."""
        entries = list(entries)
        known = {(e.type, name_key(n)) for e in entries for n in (e.name, *e.aliases)}
        fill = [
            b for b in base if not any((b.type, name_key(n)) in known for n in (b.name, *b.aliases))
        ]
        merged = _merge_entries(fill + entries)
        index: dict[tuple[str, ...], list[NameHit]] = defaultdict(list)
        for i, entry in enumerate(merged):
            surfaces = [(n, entry.document) for n in (entry.name, *entry.aliases)]
            surfaces += [(a, d) for a, d in entry.learnt]
            for surface, doc in surfaces:
                key = name_key(surface)
                if key:
                    index[key].append(NameHit(i, surface, is_acronym(surface), doc))
            for demonym in entry.demonyms:
                index[name_key(demonym)].append(NameHit(i, demonym, False, None, demonym=True))
        trie: dict[str, TrieNode] = {}
        for key, hits in index.items():
            nodes = trie
            for k, token in enumerate(key):
                children, found = nodes.get(token) or ({}, ())
                nodes[token] = (children, tuple(hits) if k == len(key) - 1 else found)
                nodes = children
        lower = frozenset(
            key[0] for key, hits in index.items() if any(h.surface[:1].islower() for h in hits)
        )
        return cls(
            tuple(merged),
            frozenset(n.casefold() for n in given_names),
            {k: tuple(v) for k, v in index.items()},
            trie,
            lower,
        )

    def by_name(self, name: str) -> GazEntry | None:
        """The entry with this name or alias (case-insensitive), preferring curated entries."""
        named = self._named
        if name not in named:
            hits = [h for h in self.index.get(name_key(name), ()) if not h.demonym]
            named[name] = self.entries[hits[0].entry] if hits else None
        return named[name]

    @cached_property
    def _named(self) -> dict[str, GazEntry | None]:
        """``by_name``'s answers so far (the gazetteer never changes)."""
        return {}

    def alternative(self, entry: GazEntry, surface: str, country: str) -> GazEntry | None:
        """Another entry of ``entry``'s type, of ``country``, with ``surface``'s words in a name.

        "GKNB" qualified as Tajik finds the Tajik committee (alias "Tajik GKNB"), not the Kyrgyz.
        """
        words = set(name_key(surface))
        for other in self.entries:
            if other is entry or other.type != entry.type or other.country != country:
                continue
            if any(words <= set(name_key(n)) for n in other.names()):
                return other
        return None


def _merge_entries(entries: list[GazEntry]) -> list[GazEntry]:
    """Entries learnt from annotations join a gazetteer entry of their type sharing a name."""
    merged: list[GazEntry] = []
    where: dict[tuple[str, tuple[str, ...]], int] = {}
    for entry in entries:
        keys = [(entry.type, name_key(n)) for n in (entry.name, *entry.aliases)]
        found = next((where[k] for k in keys if k in where), None)
        if found is None or entry.document is None:
            position = len(merged)
            merged.append(entry)
        else:
            old = merged[found]
            known = {name_key(n) for n in old.names()}
            extra = tuple(
                (n, entry.document)
                for n in (entry.name, *entry.aliases)
                if name_key(n) not in known
            )
            # the curated id wins over the one minted from the gazetteer name (org:knb)
            key = old.key if old.curated or old.document else entry.key
            merged[found] = replace(old, key=key, curated=True, learnt=old.learnt + extra)
            position = found
        for k in keys:
            where.setdefault(k, position)
    return merged


def _strings(value: object, where: LineDict, key: str, shown: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise InputError(f"'{key}' must be a list of names", Location(shown, where.line_of(key)))
    return tuple(str(v) for v in value)


def _posts(value: object, where: LineDict, shown: str) -> tuple[Post, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(
            "'posts' must be a list of {title, of, start, end}",
            Location(shown, where.line_of("posts")),
        )
    posts = []
    for item in value:
        if not isinstance(item, LineDict) or not {"title", "of", "start", "end"} <= set(item):
            raise InputError(
                "each post needs title, of, start and end", Location(shown, where.line_of("posts"))
            )
        try:
            posts.append(
                Post(str(item["title"]), str(item["of"]), int(item["start"]), int(item["end"]))
            )
        except (TypeError, ValueError):
            raise InputError("post start and end are years", Location(shown, item.line)) from None
    return tuple(posts)


def _entry(item: LineDict, schema: Schema, shown: str, document: str | None) -> GazEntry:
    loc = Location(shown, item.line)
    unknown = (
        set(item)
        - _ENTRY_KEYS
        - ({"id", "evidence", "note", "outlet", "date", "citation", "count"} if document else set())
    )
    if unknown:
        raise InputError(
            f"unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(_ENTRY_KEYS))})", loc
        )
    name, type_name = item.get("name"), item.get("type")
    if not isinstance(name, str) or not name.strip():
        raise InputError("an entity needs a 'name'", loc)
    etype = schema.types.get(type_name) if isinstance(type_name, str) else None
    if etype is None or etype.category != "entity":
        known = ", ".join(schema.entity_types_names)
        raise InputError(
            f"unknown entity type {type_name!r} (known: {known})",
            Location(shown, item.line_of("type")),
        )
    kind = item.get("kind")
    if kind is not None and (not etype.kinds or str(kind) not in schema.vocabulary(etype.kinds)):
        raise InputError(
            f"kind {kind!r} is not a kind of {etype.name}", Location(shown, item.line_of("kind"))
        )
    key = (
        item["id"] if document and isinstance(item.get("id"), str) else make_id(etype.prefix, name)
    )
    return GazEntry(
        key=key,
        type=etype.name,
        name=name.strip(),
        aliases=_strings(item.get("aliases"), item, "aliases", shown),
        kind=str(kind) if kind is not None else None,
        code=str(item["code"]) if item.get("code") is not None else None,
        demonyms=_strings(item.get("demonyms"), item, "demonyms", shown),
        country=str(item["country"]) if item.get("country") else None,
        capital_of=str(item["capital_of"]) if item.get("capital_of") else None,
        posts=_posts(item.get("posts"), item, shown),
        document=document,
    )


def _read_gazetteer_file(path: Path, schema: Schema) -> tuple[list[GazEntry], list[str]]:
    shown = display_path(path)
    raw = load_yaml_text(read_text(path), shown)
    if not isinstance(raw, LineDict):
        raise InputError(
            "a gazetteer is a mapping with 'entities' and 'given_names'", Location(shown, 1)
        )
    unknown = set(raw) - {"entities", "given_names"}
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(
            f"unknown key '{key}' (allowed: entities, given_names)",
            Location(shown, raw.line_of(key)),
        )
    items = raw.get("entities") or []
    if not isinstance(items, list):
        raise InputError("'entities' must be a list", Location(shown, raw.line_of("entities")))
    entries = []
    for item in items:
        if not isinstance(item, LineDict):
            raise InputError("each entity is a mapping", Location(shown, raw.line_of("entities")))
        entries.append(_entry(item, schema, shown, None))
    return entries, list(_strings(raw.get("given_names"), raw, "given_names", shown))


def _learnt_from_annotations(
    folder: Path, schema: Schema, types: tuple[str, ...]
) -> list[GazEntry]:
    """Named entities of the curated annotations (Groups and Sources are article-specific)."""
    entries = []
    for path in sorted(folder.glob("*.y*ml")):
        try:
            raw = load_yaml(path)
        except InputError:
            continue  # `kg validate` reports broken annotation files; the gazetteer skips them
        if not isinstance(raw, LineDict) or not isinstance(raw.get("entities"), list):
            continue
        document = str(raw.get("document") or path.stem)
        for item in raw["entities"]:
            if isinstance(item, LineDict) and item.get("type") in types:
                try:
                    entries.append(_entry(item, schema, display_path(path), document_id(document)))
                except InputError:
                    continue
    return entries


def load_gazetteer(
    schema: Schema,
    gazetteer_file: Path | None,
    annotations_dir: Path | None,
    learn_types: tuple[str, ...] = ("Person", "Organisation", "Country", "Place"),
) -> Gazetteer:
    """The gazetteer file (if any) plus the named entities of curated annotations (if any)."""
    entries: list[GazEntry] = []
    given: list[str] = []
    if gazetteer_file is not None and gazetteer_file.is_file():
        entries, given = _read_gazetteer_file(gazetteer_file, schema)
    if annotations_dir is not None and annotations_dir.is_dir():
        entries += _learnt_from_annotations(annotations_dir, schema, learn_types)
    world, world_given = _read_gazetteer_file(WORLD_FILE, schema)
    return Gazetteer.build(entries, [*world_given, *given], base=world)


@dataclass(frozen=True)
class GazetteerSource:
    """Which gazetteer a workspace uses, and what to tell the user about it."""

    path: Path | None
    message: str
    warning: bool = False


def locate_gazetteer(seeds_dir: Path, explicit: Path | None = None) -> GazetteerSource:
    """The gazetteer to use: ``explicit``, else the workspace's ``seeds/gazetteer.yaml``, else
    the one shipped with kg (with a warning: the user cannot see or edit that one in place)."""
    if explicit is not None:
        return GazetteerSource(explicit, f"gazetteer: {display_path(explicit)}")
    own = seeds_dir / "gazetteer.yaml"
    if own.is_file():
        return GazetteerSource(own, f"gazetteer: {display_path(own)}")
    shipped = defaults.gazetteer()
    if isinstance(shipped, Path) and shipped.is_file():
        return GazetteerSource(
            shipped,
            f"the workspace has no {display_path(own)}: using kg's default gazetteer "
            f"{shipped}; copy it there to edit it",
            warning=True,
        )
    return GazetteerSource(
        None, f"no gazetteer: {display_path(own)} is missing; only names learnt from "
        "annotations and the text are known", warning=True
    )  # fmt: skip
