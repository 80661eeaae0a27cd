"""Web pages as a reader sees them: main text, title, byline, site name and date.

trafilatura finds the article (JSON-LD, Open Graph and ``<time>`` metadata, boilerplate
removed); kg's own tag walker is only the fallback when it finds no text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from kg.dates import parse_header_date
from kg.errors import DateError, InputError, Location

__all__ = ["HTML_SUFFIXES", "Page", "declared_charset", "read_page"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
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
        dt figcaption main body html address hr td th
        """
    )
)
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "citation_date",
    "citation_publication_date",
    "sailthru.date",
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:·»-]\s+")


@dataclass(frozen=True)
class Page:
    """What a page says: its text paragraphs and metadata (values as printed)."""

    paragraphs: tuple[str, ...]
    title: str = ""
    date: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    """byline, publication (site name), url, description."""


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
        self.headings: dict[str, str] = {}
        self.in_heading: str | None = None
        self.heading_parts: list[str] = []
        self.furniture: set[str] = set()
        """Texts inside nav, header, footer, aside and form: the page marks them as furniture."""

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
        if tag in ("h1", "h2") and tag not in self.headings:
            self.in_heading, self.heading_parts = tag, []
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK:
            self._flush()
        elif tag == "a":
            self.current.append(" ")  # <a>Uzbekistan</a><a>Tagged</a> are two words

    def handle_endtag(self, tag: str) -> None:
        if tag == self.in_heading:
            self.headings[tag] = " ".join("".join(self.heading_parts).split())
            self.in_heading = None
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK:
            self._flush()
        elif tag == "a":
            self.current.append(" ")

    def handle_data(self, data: str) -> None:
        if self.skip_depth and self.lasttag not in ("script", "style"):
            self.furniture.add(" ".join(data.split()))
        if self.in_heading:
            self.heading_parts.append(data)
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip_depth:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag, if any.

    >>> declared_charset(b'<meta charset="windows-1251">')
    'windows-1251'
    """
    found = _CHARSET.search(raw[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


def _meta_date(collector: _TextCollector) -> str | None:
    """The first date a meta tag or ``<time>`` gives that reads as a date."""
    for value in (*(collector.meta.get(k) for k in _DATE_META), collector.time_value):
        if value:
            try:
                parse_header_date(value)
            except DateError:
                continue
            return value
    return None


def _clean_title(title: str, site: str | None) -> str:
    """A title without the site name pages append ("Bombings in Tashkent | Reuters").

    >>> _clean_title("Bombings in Tashkent | Reuters", "Reuters")
    'Bombings in Tashkent'
    """
    title = " ".join(title.split())
    if site:
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) > 1 and parts[-1].casefold() == site.casefold():
            return title[: title.casefold().rfind(parts[-1].casefold())].rstrip(" |–—:·»-")
        if len(parts) > 1 and parts[0].casefold() == site.casefold():
            return title[len(parts[0]) :].lstrip(" |–—:·»-")
    return title


def _precise_date(found: str | None, meta: str | None) -> str | None:
    """trafilatura's date (day precision), unless the page's own field says the same coarser."""
    if meta is None:
        return found
    if found is None:
        return meta
    try:
        ours = parse_header_date(meta).isoformat()
    except DateError:
        return found
    return meta if found.startswith(ours) else found


def _trafilatura(page: str) -> dict[str, Any] | None:
    import trafilatura  # heavy (lxml, htmldate...): only for web pages

    result = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        fast=True,  # no readability/justext fallbacks: they keep menus; ours is the fallback
        include_tables=False,  # layout tables would come out as one row of everything
        favor_precision=False,  # on tests/fixtures/html: 1% of furniture kept, no text lost
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None:
        return None
    found: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return found


def read_page(page: str, shown: str) -> Page:
    """A web page's article text and metadata.

    >>> html = "<html><head><title>T</title><meta name=date content='30 July 2004'></head>"
    >>> html += "<body><nav>Menu</nav><h1>T</h1><p>One &amp; two.</p></body></html>"
    >>> read_page(html, "page.html")
    Page(paragraphs=('One & two.',), title='T', date='30 July 2004', metadata={})
    """
    collector = _TextCollector()
    collector.feed(page)
    collector.close()
    found = _trafilatura(page) or {}
    site = found.get("sitename") or collector.meta.get("og:site_name")
    title = _clean_title(
        found.get("title") or collector.meta.get("og:title") or "".join(collector.title_parts),
        site,
    )
    page_title = " ".join("".join(collector.title_parts).split()).casefold()
    heading = collector.headings.get("h1") or collector.headings.get("h2") or ""
    if len(heading) > len(title) and heading.casefold() in page_title:
        title = heading  # "Site - Headline": the page's own heading says which part is which
    text = found.get("text") or ""
    paragraphs = [
        " ".join(line.split())
        for line in text.split("\n")
        if line.strip() and " ".join(line.split()) not in collector.furniture
    ]
    if not paragraphs:  # trafilatura found no article: every visible block
        paragraphs = collector.blocks
    author = found.get("author")
    while paragraphs and paragraphs[0].casefold() in {
        title.casefold(),
        f"by {author}".casefold() if author else "",
    }:
        paragraphs = paragraphs[1:]  # the page heading repeats the title; the byline
    if not paragraphs:
        raise InputError("no visible text in the page", Location(shown))
    metadata = {
        key: " ".join(str(value).split())
        for key, value in (
            ("byline", author),
            ("publication", site),
            ("url", found.get("url")),
            ("description", found.get("description") or collector.meta.get("description")),
        )
        if value
    }
    date = _precise_date(found.get("date"), _meta_date(collector))
    return Page(tuple(paragraphs), title, date, metadata)
