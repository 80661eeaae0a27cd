"""PDF reports as text: pypdf's text layer, lines joined into paragraphs, hyphenation undone."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from kg.errors import InputError, Location

__all__ = ["PDF_SUFFIXES", "PdfText", "join_lines", "read_pdf"]

PDF_SUFFIXES = (".pdf",)
MAX_PAGES = 2000
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad]\n(?=[a-zа-яё])")
_SENTENCE_END = re.compile(r"[.!?:\"”’)]$")


@dataclass(frozen=True)
class PdfText:
    """A PDF's paragraphs and its document information (title, author, dates as printed)."""

    paragraphs: tuple[str, ...]
    title: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


def join_lines(text: str) -> list[str]:
    """Paragraphs from a page's lines: a word hyphenated at a line end is joined, a line that
    ends a sentence well short of the usual line length ends its paragraph.

    >>> join_lines("The security ser-\\nvice detained two\\nmen in Shymkent.\\nA new one.")
    ['The security service detained two men in Shymkent.', 'A new one.']
    """
    text = _HYPHEN_BREAK.sub(r"\1", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    width = sorted(len(line) for line in lines if line)[len([x for x in lines if x]) * 3 // 4 :]
    usual = width[0] if width else 0
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
            current = []
            continue
        current.append(line)
        if _SENTENCE_END.search(line) and len(line) < 0.85 * usual:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def read_pdf(raw: bytes, shown: str) -> PdfText:
    """The text of a PDF (its text layer: a scanned image without one has none)."""
    from pypdf import PdfReader  # only for PDFs
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("encrypted PDF: save an unprotected copy", Location(shown))
        if len(reader.pages) > MAX_PAGES:
            raise InputError(f"more than {MAX_PAGES} pages: split the PDF", Location(shown))
        pages = [page.extract_text() or "" for page in reader.pages]
        info: dict[str, object] = dict(reader.metadata or {})
        title = str(info.get("/Title") or "").strip()
        metadata = {
            key: " ".join(str(info[name]).split())
            for key, name in (("byline", "/Author"), ("pdf_created", "/CreationDate"))
            if info.get(name)
        }
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"unreadable PDF: {exc}", Location(shown)) from None
    paragraphs = [p for page in pages for p in join_lines(page)]
    if not paragraphs:
        raise InputError(
            "no text in the PDF (a scan without a text layer? run OCR first)", Location(shown)
        )
    return PdfText(tuple(paragraphs), title, metadata)
