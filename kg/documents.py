"""Read articles: YAML front matter (Markdown) or a ``key: value`` header block (plain text)."""

from __future__ import annotations

import re
from pathlib import Path

from kg.dates import DateOrder, PartialDate, parse_date, parse_header_date
from kg.errors import DateError, InputError, Location
from kg.ids import slugify
from kg.model import Document
from kg.text import normalise_invisible, split_sentences
from kg.yamlio import LineDict, display_path, load_yaml_text, read_text

__all__ = [
    "ARTICLE_SUFFIXES",
    "DATE_KEYS",
    "TEXT_SUFFIXES",
    "date_warning",
    "document_id",
    "parse_article",
    "read_article",
]

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, ".html", ".htm", ".xhtml", ".pdf")
"""Every file type an article may be: what ``kg extract`` reads, ``kg validate`` reads too."""
_HEADER_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_ .-]*):\s*(.*)")
DATE_KEYS = (
    "date",
    "published",
    "pubdate",
    "pub_date",
    "publication_date",
    "date_published",
    "datepublished",
    "published_at",
    "published_on",
    "publish_date",
    "dc.date",
    "created",
)
"""Header keys read as the publication date, the first present winning."""
_UNREAD = "date_unread"
_FENCE = "---"


def document_id(stem: str) -> str:
    """The document id for an article file stem.

    >>> document_id("edm-2004-v1-i75-kazakh-uzbek-security")
    'doc:edm-2004-v1-i75-kazakh-uzbek-security'
    """
    return f"doc:{slugify(stem)}"


def _split_front_matter(text: str, shown: str) -> tuple[dict[str, object], str, int]:
    """Separate the metadata block from the body; returns (metadata, body, header line count)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == _FENCE:
        for i in range(1, len(lines)):
            if lines[i].strip() == _FENCE:
                raw = load_yaml_text("\n".join(lines[1:i]), shown, first_line=2)
                if raw is None:
                    raw = {}
                if not isinstance(raw, dict):
                    raise InputError(
                        "front matter must be a mapping of key: value", Location(shown, 2)
                    )
                return dict(raw), "\n".join(lines[i + 1 :]), i + 1
        raise InputError("front matter opened with '---' is never closed", Location(shown, 1))
    # Plain text: an optional header of `key: value` lines closed by a line `---`.
    header: dict[str, object] = {}
    for i, line in enumerate(lines):
        if line.strip() == _FENCE:
            return header, "\n".join(lines[i + 1 :]), i + 1
        match = _HEADER_LINE.fullmatch(line.strip())
        if not match:
            break
        header[match.group(1).strip().lower().replace(" ", "_")] = match.group(2).strip()
    return {}, text, 0


def _date_key(meta: dict[str, object]) -> str | None:
    keys = {str(k).lower().replace("-", "_").replace(" ", "_"): k for k in meta}
    for key in DATE_KEYS:
        if key in keys and meta[keys[key]] not in (None, ""):
            return str(keys[key])
    return None


def _document_date(
    meta: dict[str, object], order: DateOrder | None
) -> tuple[PartialDate | None, str | None]:
    """The publication date, or None and the value that could not be read as one."""
    key = _date_key(meta)
    if key is None:
        year = meta.get("year")
        if year in (None, ""):
            return None, None
        try:
            return parse_date(int(str(year))), None
        except (DateError, ValueError):
            return None, str(year)
    value = meta.pop(key)
    try:
        date = parse_header_date(value, order)
        precision = meta.get("date_precision")
        if isinstance(precision, str) and precision != date.precision:
            date = PartialDate.from_iso(date.isoformat(), precision)
    except DateError:
        return None, str(value).strip()
    return date, None


def date_warning(doc: Document) -> str | None:
    """The warning owed for an article whose date could not be read, naming the value.

    >>> doc = Document("doc:a", "A", "Text.", ((0, 5),), metadata={"date_unread": "unknown"})
    >>> date_warning(doc)
    "undated: date 'unknown' not read (no date given); relative dates stay unresolved"
    """
    value = doc.metadata.get(_UNREAD)
    if value is None:
        return None
    try:
        parse_header_date(value)
        reason = "not a date in the order dates.order gives"
    except DateError as exc:
        reason = exc.message
    return f"undated: date {value!r} not read ({reason}); relative dates stay unresolved"


def parse_article(
    text: str, path: Path, *, shown: str | None = None, date_order: DateOrder | None = None
) -> Document:
    """Build a Document from an article's text; ``path`` gives its id and display name.

    A date that cannot be read leaves the article undated, its value kept as
    ``metadata["date_unread"]`` (see :func:`date_warning`); it never refuses the article.
    """
    shown = shown or display_path(path)
    text = normalise_invisible(text)
    if not text.strip():
        raise InputError("empty article", Location(shown))
    meta, body, _ = _split_front_matter(text, shown)
    if not body.strip():
        raise InputError("article has metadata but no text", Location(shown))
    date, unread = _document_date(meta, date_order)
    raw_id = meta.pop("id", None)
    doc_id = document_id(str(raw_id) if raw_id else path.stem)
    title = str(meta.pop("title", "") or path.stem)
    metadata = {
        key: str(value).strip()
        for key, value in meta.items()
        if value is not None
        and key not in ("date", "date_precision")
        and not isinstance(value, LineDict)
    }
    if unread is not None:
        metadata[_UNREAD] = unread
    return Document(
        id=doc_id,
        title=title,
        text=body,
        sentences=tuple(split_sentences(body)),
        date=date,
        path=shown,
        metadata=metadata,
    )


def read_article(path: Path, date_order: DateOrder | None = None) -> Document:
    """Read one article file: Markdown with front matter, text with a header block, or a web
    page or PDF read as ``kg extract`` reads it (so its drafts' quotes are found)."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        return parse_article(read_text(path), path, date_order=date_order)
    from kg.extract.reader import read_input  # web pages and PDFs: heavy readers

    return read_input(path, date_order)[0]
