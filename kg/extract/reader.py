"""Read articles to extract from: Markdown or text with a header (kg.documents), or simple HTML."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from kg.documents import parse_article
from kg.errors import InputError, Location
from kg.model import Document
from kg.yamlio import display_path, read_text

__all__ = ["HTML_SUFFIXES", "INPUT_SUFFIXES", "html_to_article", "read_input"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
INPUT_SUFFIXES = (".md", ".markdown", ".txt", *HTML_SUFFIXES)
_SKIP = frozenset(
    str.split(
        """
        script style nav header footer noscript template svg aside form button select
        """
    )
)
_BLOCK = frozenset(
    str.split(
        """
        p div h1 h2 h3 h4 h5 h6 li br article section blockquote tr pre ul ol table dd
        dt figcaption main body html address hr
        """
    )
)
_DATE_META = (
    "date",
    "pubdate",
    "publish-date",
    "article:published_time",
    "dc.date",
    "dcterms.date",
    "og:article:published_time",
    "citation_date",
    "datepublished",
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ISO_PREFIX = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class _TextCollector(HTMLParser):
    """Collects the visible text of a page, block by block, plus its title and meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.time_value: str | None = None

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (
                values.get("name") or values.get("property") or values.get("itemprop") or ""
            ).lower()
            if name and values.get("content"):
                self.meta.setdefault(name, values["content"].strip())
            return
        if tag == "time" and self.time_value is None and values.get("datetime"):
            self.time_value = values["datetime"]
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip_depth:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _decode_html(raw: bytes, shown: str) -> str:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            "binary file (NUL byte found); expected an HTML page", Location(shown, line)
        )
    declared = _CHARSET.search(raw[:4096])
    encoding = declared.group(1).decode("ascii", "replace") if declared else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r} declared by the page", Location(shown, 1)
        ) from None
    try:
        return raw.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid {encoding} (byte 0x{raw[exc.start]:02x}); re-save the page with the "
            "encoding it declares",
            Location(shown, line),
        ) from None


def html_to_article(page: str, shown: str) -> str:
    """An HTML page as article text: YAML front matter (title, date) and the visible paragraphs.

    >>> html = "<html><head><title>T</title><meta name=date content=2021-03-15></head>"
    >>> html += "<body><nav>Menu</nav><h1>T</h1><p>One &amp; two.</p>"
    >>> html += "<script>x()</script></body></html>"
    >>> print(html_to_article(html, "page.html"))
    ---
    title: T
    date: '2021-03-15'
    format: html
    ---
    One & two.
    """
    collector = _TextCollector()
    collector.feed(page)
    collector.close()
    title = " ".join("".join(collector.title_parts).split())
    blocks = collector.blocks
    if blocks and title and blocks[0].casefold() == title.casefold():
        blocks = blocks[1:]  # the page heading repeats the title
    if not blocks:
        raise InputError("no visible text in the page", Location(shown))
    meta: dict[str, str] = {}
    if title:
        meta["title"] = title
    date = next(
        (collector.meta[k] for k in _DATE_META if k in collector.meta), collector.time_value
    )
    if date:
        match = _ISO_PREFIX.match(date.strip())
        if match:
            meta["date"] = match.group()
    description = collector.meta.get("description")
    meta["format"] = "html"
    if description:
        meta["description"] = description
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n" + "\n\n".join(blocks)


def read_input(path: Path) -> tuple[Document, str | None]:
    """Read one input file. For HTML, also returns the article text it was converted to.

    Errors (unreadable, empty, binary, badly encoded, broken front matter) are InputErrors
    naming the file.
    """
    shown = display_path(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", Location(shown)) from None
        if not raw.strip():
            raise InputError("empty article", Location(shown))
        article = html_to_article(_decode_html(raw, shown), shown)
        return parse_article(article, path.with_suffix(".md"), shown=shown), article
    return parse_article(read_text(path), path, shown=shown), None
