"""Read articles to extract from: Markdown or text with a header, web pages and PDFs."""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.dates import DateOrder
from kg.documents import ARTICLE_SUFFIXES, TEXT_SUFFIXES, parse_article
from kg.errors import InputError, Location
from kg.ids import slugify
from kg.model import Document
from kg.text import normalise_invisible
from kg.yamlio import decode_text, display_path, read_bytes

from .html import HTML_SUFFIXES, declared_charset, read_page
from .pdf import PDF_SUFFIXES, read_pdf

__all__ = [
    "HTML_SUFFIXES",
    "INPUT_SUFFIXES",
    "PDF_SUFFIXES",
    "converted_article",
    "html_to_article",
    "read_input",
]

INPUT_SUFFIXES = ARTICLE_SUFFIXES
assert set(INPUT_SUFFIXES) == {*TEXT_SUFFIXES, *HTML_SUFFIXES, *PDF_SUFFIXES}


def converted_article(
    stem: str, title: str, date: str | None, metadata: dict[str, str], paragraphs: list[str]
) -> str:
    """Article text (YAML front matter and paragraphs) for a page or PDF that was read.

    >>> print(converted_article("a", "T", "9 Jul 04", {"format": "html"}, ["One.", "Two."]))
    ---
    id: a
    title: T
    date: 9 Jul 04
    format: html
    ---
    One.
    <BLANKLINE>
    Two.
    """
    meta: dict[str, str] = {"id": slugify(stem)}
    if title:
        meta["title"] = title
    if date:
        meta["date"] = date
    meta.update(metadata)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    body = "\n\n".join(normalise_invisible(p).strip() for p in paragraphs)
    return f"---\n{front}---\n{body}"


def html_to_article(page: str, shown: str) -> str:
    """A web page as article text: front matter (id, title, date, byline...) and paragraphs."""
    read = read_page(page, shown)
    meta = {**read.metadata, "format": "html"}
    return converted_article(Path(shown).stem, read.title, read.date, meta, list(read.paragraphs))


def read_input(path: Path, date_order: DateOrder | None = None) -> tuple[Document, str | None]:
    """Read one input file. For a web page or PDF, also returns the article text it became.

    Errors (unreadable, not a regular file, too large, empty, binary, badly encoded, broken
    front matter, unknown type) are InputErrors naming the file.
    """
    shown = display_path(path)
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise InputError(
            f"unsupported file type {suffix or '(none)'!r} (read: {', '.join(INPUT_SUFFIXES)})",
            Location(shown),
        )
    raw = read_bytes(path)
    if not raw.strip():
        raise InputError("empty article", Location(shown))
    if suffix in TEXT_SUFFIXES:
        text = decode_text(raw, shown)
        return parse_article(text, path, shown=shown, date_order=date_order), None
    if suffix in HTML_SUFFIXES:
        article = html_to_article(decode_text(raw, shown, declared_charset(raw)), shown)
    else:
        pdf = read_pdf(raw, shown)
        title = pdf.title or pdf.paragraphs[0][:200]
        article = converted_article(
            path.stem, title, None, {**pdf.metadata, "format": "pdf"}, list(pdf.paragraphs)
        )
    doc = parse_article(article, path.with_suffix(".md"), shown=shown, date_order=date_order)
    return doc, article
