"""Web pages and PDFs as a reader sees them: the HTML test set, the defects of issue 14, PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract.draft import render_draft
from kg.extract.pipeline import load_extractor
from kg.extract.reader import read_input
from kg.schema import load_schema
from kg.yamlio import load_yaml, load_yaml_text

HTML = Path(__file__).resolve().parent / "fixtures" / "html"
EXPECTED = load_yaml(HTML / "expected.yaml")


def test_the_html_set_keeps_the_article_and_drops_the_furniture() -> None:
    assert len(EXPECTED) >= 12
    leaked = phrases = titles = dates = kept = sentences = 0
    for name, expected in EXPECTED.items():
        doc, article = read_input(HTML / name)
        assert article is not None and article.endswith(doc.text)
        leaked += sum(phrase in doc.text for phrase in expected["boilerplate"])
        phrases += len(expected["boilerplate"])
        titles += doc.title == expected["title"]
        dates += str(doc.date) == expected["date"]
        kept += sum(sentence in doc.text for sentence in expected["sentences"])
        sentences += len(expected["sentences"])
    assert leaked / phrases <= 0.15, f"{leaked} of {phrases} boilerplate phrases leaked"
    assert titles >= len(EXPECTED) - 1, f"{titles} titles right of {len(EXPECTED)}"
    assert dates >= len(EXPECTED) - 1, f"{dates} dates right of {len(EXPECTED)}"
    assert kept / sentences >= 0.9, f"{kept} of {sentences} key sentences kept"


def write(tmp_path: Path, name: str, page: str) -> Path:
    path = tmp_path / name
    path.write_text(page, "utf-8")
    return path


ARTICLE_BODY = (
    "<p>Suicide bombers struck near the embassies in Tashkent on Friday, killing two guards, "
    "the Prosecutor-General's office said in a statement issued late in the evening.</p>"
    "<p>Officials blamed a militant group that they said had carried out earlier attacks in "
    "March and April, and promised to find those who had sent the bombers.</p>"
)


@pytest.mark.parametrize(
    ("head", "date"),
    [
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2004-07-30T10:00:00+05:00"}</script>',
            "2004-07-30",
        ),
        ('<meta name="date" content="2004/07/30">', "2004-07-30"),  # not "year 2004"
        ('<meta name="date" content="30 July 2004">', "2004-07-30"),  # not dropped
        ('<meta property="article:published_time" content="2004-07">', "2004-07"),
    ],
)
def test_page_dates_are_read_with_their_precision(tmp_path: Path, head: str, date: str) -> None:
    page = f"<html><head><title>Blasts in Tashkent</title>{head}</head><body>{ARTICLE_BODY}</body></html>"
    doc, _ = read_input(write(tmp_path, "p.html", page))
    assert str(doc.date) == date


def test_a_title_loses_the_site_name_and_tags_do_not_join_words(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Blasts in Tashkent | Meridian Wire</title>"
        '<meta property="og:site_name" content="Meridian Wire"></head><body><article>'
        f"<h1>Blasts in Tashkent</h1>{ARTICLE_BODY}</article>"
        '<div class="tags">Tagged <a href="/t/1">Uzbekistan</a><a href="/t/2">Security</a></div>'
        "</body></html>"
    )
    doc, _ = read_input(write(tmp_path, "p.html", page))
    assert doc.title == "Blasts in Tashkent"
    assert doc.metadata["publication"] == "Meridian Wire"
    assert "UzbekistanTagged" not in doc.text and "UzbekistanSecurity" not in doc.text


def test_invisible_characters_are_normalised_and_offsets_match_the_stored_text(
    tmp_path: Path,
) -> None:
    body = ARTICLE_BODY.replace("Tashkent", "Tash&shy;kent").replace("bombers", "bomb\u200bers")
    doc, article = read_input(write(tmp_path, "p.html", f"<html><body>{body}</body></html>"))
    assert "Tashkent" in doc.text and "bombers" in doc.text
    assert "\u00ad" not in article and "\u200b" not in article  # the stored text
    start, end = doc.sentences[0]
    assert doc.text[start:end].startswith("Suicide bombers struck near the embassies in Tashkent")


def test_utf16_pages_with_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_bytes(f"<html><body>{ARTICLE_BODY}</body></html>".encode("utf-16"))
    doc, _ = read_input(path)
    assert "Tashkent" in doc.text


# -- PDF -------------------------------------------------------------------------------------------


def make_pdf(lines: list[str], title: str = "Border report") -> bytes:
    """A one-page PDF with a text layer (Helvetica), one text line per item."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    stream = "BT /F1 11 Tf 14 TL 72 720 Td " + " ".join(f"({t}) Tj T*" for t in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /Author (Steppe Policy Institute) >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return out


def test_a_pdf_is_read_with_hyphenated_line_breaks_joined(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(
        make_pdf(
            [
                "On 30 July the National Security Committee of Kazakh-",
                "stan detained nineteen labourers in the city of Shym-",
                "kent, near the border with Uzbekistan, officials said.",
                "They were released later.",
            ]
        )
    )
    doc, article = read_input(path)
    assert doc.title == "Border report"
    assert doc.metadata["byline"] == "Steppe Policy Institute"
    assert "National Security Committee of Kazakhstan detained" in doc.text
    assert "city of Shymkent, near the border" in doc.text
    assert article is not None and "format: pdf" in article


def test_a_broken_pdf_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf at all\n")
    with pytest.raises(InputError, match=r"broken\.pdf: ") as info:
        read_input(path)
    assert "\n" not in str(info.value)


def test_page_furniture_never_becomes_facts() -> None:
    """Issue 14: a reader's comment became a head of state's denial, "Breaking News" a media
    organisation, and "UzbekistanTagged" a place."""
    root = HTML.parents[2]
    extractor = load_extractor(load_schema(root / "schema"), root / "seeds")
    names: set[str] = set()
    quotes: list[str] = []
    for page in ("wordpress-blog.html", "wire-service.html", "comments-heavy.html"):
        doc, _ = read_input(HTML / page)
        draft = load_yaml_text(render_draft(extractor.extract(doc)), page)
        names |= {e["name"] for e in draft.get("entities", [])}
        quotes += [e["quote"] for c in draft.get("claims", []) for e in c.get("evidence", [])]
    assert not {"Breaking News", "UzbekistanTagged", "Reader123", "truthseeker77"} & names
    assert not [q for q in quotes if "denies everything" in q or "denies all of this" in q]
