"""Bad input beyond tests/test_validation.py: one line per problem, exit 1, nothing half-built.

Covers wrong types, control characters, conflicting and doubly annotated documents, broken
articles, and large inputs (a 10 MB article, an annotation file with 50,000 items). A file
with an error contributes nothing, its document included; the other documents are built as
if it were not there.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.build import BuildResult
from kg.cli import main
from kg.model import Graph
from kg.schema import Schema

from .conftest import MINI_ANNOTATION, ScratchWorkspace

PROBLEM_LINE = re.compile(r"^\S+?(:\d+)?( \[[^\]]+\])?: (error|warning): .+ \[[a-z-]+\]$")


def run(scratch: ScratchWorkspace, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(scratch.root), *args])


def problem_lines(result: Result) -> list[str]:
    return [
        line
        for line in result.output.splitlines()
        if not line.startswith("kg: ") and (": error: " in line or ": warning: " in line)
    ]


def assert_rejected(result: Result, *patterns: str) -> list[str]:
    """Exit 1, no traceback, every problem on one well-formed line, each pattern on some line."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = problem_lines(result)
    assert lines and all(PROBLEM_LINE.match(line) for line in lines), lines
    for pattern in patterns:
        assert any(re.search(pattern, line) for line in lines), (pattern, lines)
    assert result.output.rstrip().endswith(f"kg: error: {len(lines)} problem(s) found")
    return lines


def same_facts(graph: Graph, expected: Graph) -> bool:
    """Equal graphs, ignoring where the documents' files are (paths differ per workspace)."""
    return (
        graph.documents.keys() == expected.documents.keys()
        and (graph.entities, graph.incidents, graph.claims, graph.relations)
        == (expected.entities, expected.incidents, expected.claims, expected.relations)
        and all(graph.documents[k].text == expected.documents[k].text for k in expected.documents)
    )


def assert_mini_rejected_alone(result: BuildResult, seed_graph: Graph) -> None:
    """Nothing of doc:mini is built; the seed document is built exactly as on its own."""
    assert not result.ok
    assert "doc:mini" not in result.graph.documents
    assert not any(
        ev.document == "doc:mini"
        for records in (result.graph.entities, result.graph.incidents, result.graph.claims)
        for record in records.values()
        for ev in record.evidence
    )
    assert same_facts(result.graph, seed_graph)


# -- wrong types and odd characters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "pattern"),
    [
        ("document: mini\nentities: 5\n", r"mini\.yaml:2: error: 'entities' must be a list"),
        ("- document: mini\n", r"mini\.yaml:1: error: an annotation file is a mapping"),
        (
            "document: mini\nentities:\n  - {type: [Place], name: Osh}\n",
            r"mini\.yaml:3: error: unknown entity type \['Place'\] .*\[unknown-type\]",
        ),
        (
            "document: mini\nentities: [Osh]\n",
            r"mini\.yaml:2: error: each item of 'entities' must be a mapping",
        ),
        (
            MINI_ANNOTATION.replace("    name: Osh\n", "    name: [Osh, Bishkek]\n"),
            r"mini\.yaml:6: error: 'name' must be text, not list \[wrong-type\]",
        ),
        (
            MINI_ANNOTATION.replace(
                "incidents:\n", "  - {type: Group, name: gunmen, count: three}\nincidents:\n", 1
            ),
            r"mini\.yaml:\d+: error: 'count' must be a whole number, not 'three' \[wrong-type\]",
        ),
        (
            MINI_ANNOTATION.replace("    date: March 12\n", "    date: true\n"),
            r"mini\.yaml:\d+: error: 'date': not a date: True \[bad-date\]",
        ),
        (
            MINI_ANNOTATION.replace(
                '      - quote: "Gunmen', '      - occurrence: two\n        quote: "Gunmen'
            ),
            r"mini\.yaml:\d+: error: 'occurrence' must be a whole number >= 1 \[bad-value\]",
        ),
        (
            MINI_ANNOTATION.replace("    name: Osh\n", "    name: Osh\x1b\n"),
            r"mini\.yaml:6: error: malformed YAML: character U\+001B is not allowed",
        ),
        (
            MINI_ANNOTATION.replace("  - id: plc:osh\n", '  - id: "plc:osh\\nx"\n'),
            r"mini\.yaml:3: error: id 'plc:osh\\nx' must look like 'plc:some-name' .*\[bad-id\]",
        ),
        (
            MINI_ANNOTATION.replace("    stance: asserts\n", '    stance: asserts\n    "\\n": 1\n'),
            r"mini\.yaml:\d+: error: unknown key '\\n' for Claim",
        ),
        (
            "document: mini\ndocument: other\n",
            r"mini\.yaml:2: error: malformed YAML: duplicate key 'document'",
        ),
    ],
)
def test_wrong_types_and_odd_characters(
    scratch: ScratchWorkspace, seed_graph: Graph, annotation: str, pattern: str
) -> None:
    scratch.write("seeds/annotations/mini.yaml", annotation.encode("utf-8"))
    assert_rejected(run(scratch, "validate"), pattern)
    assert_mini_rejected_alone(scratch.workspace.build(), seed_graph)


def test_crafted_type_name_is_an_unknown_type(scratch: ScratchWorkspace) -> None:
    scratch.annotate(
        MINI_ANNOTATION.replace("    type: Place\n", '    type: "Place) DETACH DELETE n //"\n')
    )
    assert_rejected(
        run(scratch, "validate"),
        r"mini\.yaml:4: error: unknown entity type 'Place\) DETACH DELETE n //' .*\[unknown-type\]",
    )


# -- whole files and documents -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "content", "pattern"),
    [
        ("seeds/articles/mini.md", b"", r"mini\.md: error: empty article \[bad-article\]"),
        (
            "seeds/articles/mini.md",
            b"\x89PNG\r\n\x1a\n\x00\x00IHDR",
            r"mini\.md:3: error: binary file",
        ),
        (
            "seeds/articles/mini.md",
            b"---\ntitle: x\nGunmen attacked.\n",
            r"mini\.md:1: error: front matter opened with '---' is never closed",
        ),
        (
            "seeds/articles/mini.md",
            b"---\ntitle: [x\n---\nGunmen attacked.\n",
            r"mini\.md:\d+: error: malformed YAML",
        ),
        (
            "seeds/articles/mini.md",
            b"---\ntitle: x\n---\n\n",
            r"mini\.md: error: article has metadata but no text",
        ),
    ],
)
def test_broken_articles(
    scratch: ScratchWorkspace, seed_graph: Graph, relative: str, content: bytes, pattern: str
) -> None:
    scratch.annotate(MINI_ANNOTATION)
    scratch.write(relative, content)
    lines = assert_rejected(run(scratch, "validate"), pattern)
    # The annotation of a broken article is refused too (its article is not there).
    assert any("names no article" in line for line in lines)
    assert_mini_rejected_alone(scratch.workspace.build(), seed_graph)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01binary",
        b"document: mini\nentities: [\n",
        "caf\u00e9: 1\n".encode("cp1252"),
        b"document: mini\ncolour: red\n",
    ],
    ids=["empty", "binary", "malformed", "not-utf8", "unknown-key"],
)
def test_an_unreadable_annotation_file_leaves_its_article_out(
    scratch: ScratchWorkspace, seed_graph: Graph, content: bytes
) -> None:
    """The article is not built without its annotations (that would look complete)."""
    scratch.write("seeds/annotations/mini.yaml", content)
    assert_rejected(run(scratch, "validate"), r"mini\.yaml(:\d+)?: error: ")
    result = scratch.workspace.build()
    assert any(r.endswith("mini.yaml") for r in result.rejected)
    assert_mini_rejected_alone(result, seed_graph)


def test_a_record_described_differently_by_another_file_is_merged_not_rejected(
    scratch: ScratchWorkspace, seed_graph: Graph
) -> None:
    """mini.yaml describes, with other values, an incident the seed annotation declares: both
    files are accepted; each differing property is one warning naming both files."""
    scratch.annotate(
        MINI_ANNOTATION.replace("inc:osh-border-post-attack", "inc:2004-07-30-tashkent-bombings")
    )
    result = scratch.workspace.build()
    assert result.ok and not result.rejected
    disagreements = [p for p in result.warnings if p.code == "disagreement"]
    assert {p.message.split(": documents")[0].split()[-1] for p in disagreements} >= {
        "kind",
        "title",
    }
    assert all("mini.yaml" in p.message and "security.yaml" in p.message for p in disagreements)
    assert seed_graph.entities.keys() <= result.graph.entities.keys()


def test_an_id_of_another_type_is_refused_and_the_other_file_is_unaffected(
    scratch: ScratchWorkspace, seed_graph: Graph
) -> None:
    """mini.yaml declares the seed's country id as a Place: the seed still resolves it."""
    scratch.annotate(
        MINI_ANNOTATION.replace(
            "  - id: plc:osh\n    type: Place\n    kind: city\n",
            "  - id: cty:kazakhstan\n    type: Place\n    kind: city\n",
        )
    )
    assert_rejected(
        run(scratch, "validate"),
        r"mini\.yaml:3: error: id 'cty:kazakhstan' must look like 'plc:some-name' .*\[bad-id\]",
    )
    assert_mini_rejected_alone(scratch.workspace.build(), seed_graph)


def test_a_document_annotated_twice_is_left_out(
    scratch: ScratchWorkspace, seed_graph: Graph
) -> None:
    scratch.annotate(MINI_ANNOTATION)
    scratch.annotate(MINI_ANNOTATION, name="mini-again")
    assert_rejected(
        run(scratch, "validate"),
        r"mini\.yaml:1: error: doc:mini is already annotated by \S+mini-again\.yaml \[duplicate-id\]",
    )
    result = scratch.workspace.build()
    assert {r.rsplit("/", 1)[-1] for r in result.rejected} == {"mini.yaml", "mini-again.yaml"}
    assert_mini_rejected_alone(result, seed_graph)


def test_a_failing_file_does_not_take_an_innocent_one_down(
    scratch: ScratchWorkspace, seed_graph: Graph, schema: Schema
) -> None:
    """0-mini.yaml (read first) gives the seed's country id to an incident, which is invalid:
    while it is in, the seed's references to cty:kazakhstan find an Incident and fail; the
    seed is judged again without it, and is accepted."""
    scratch.annotate(
        MINI_ANNOTATION.replace("inc:osh-border-post-attack", "cty:kazakhstan"), name="0-mini"
    )
    result = scratch.workspace.build(schema)
    assert [Path(r).name for r in result.rejected] == ["0-mini.yaml"]
    (error,) = result.errors
    assert re.search(
        r"0-mini\.yaml:12: error: id 'cty:kazakhstan' must look like 'inc:", str(error)
    )
    assert_mini_rejected_alone(result, seed_graph)


# -- large inputs --------------------------------------------------------------------------------


def test_a_10_mb_article(scratch: ScratchWorkspace, schema: Schema) -> None:
    sentence = "Report {i} says the border post near Osh was calm on March {d}. "
    parts, size, count = [], 0, 0
    while size < 10_000_000:
        text = sentence.format(i=count, d=1 + count % 28)
        parts.append(text + ("\n\n" if count % 7 == 6 else ""))
        size += len(parts[-1])
        count += 1
    last = f"Report {count - 1} says"
    body = "".join(parts) + "Gunmen attacked a border post near Osh at last.\n"
    scratch.write("seeds/articles/mini.md", "---\ntitle: Long\ndate: 2005-03-14\n---\n" + body)
    scratch.annotate(
        textwrap.dedent(f"""\
        document: mini
        entities:
          - {{id: plc:osh, type: Place, kind: city, name: Osh,
              evidence: [{{quote: "near Osh was calm", occurrence: 100000}}]}}
        incidents:
          - kind: attack
            title: Attack near Osh
            place: plc:osh
            evidence: [{{quote: "{last}"}}, {{quote: "Gunmen attacked a border post near Osh at last."}}]
        """)
    )
    result = run(scratch, "validate")
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output
    built = scratch.workspace.build(schema)
    doc = built.graph.documents["doc:mini"]
    assert len(doc.text) > 10_000_000
    assert len(doc.sentences) == count + 1
    (incident,) = [i for i in built.graph.incidents.values() if i.place == "plc:osh"]
    for ev in incident.evidence:
        assert doc.text[ev.start : ev.end] == ev.quote
    (osh_evidence,) = built.graph.entities["plc:osh"].evidence
    assert doc.text[: osh_evidence.start].count("near Osh was calm") == 99_999


def _items(count: int, bad_at: int | None = None) -> str:
    lines = ["document: mini", "entities:"]
    for i in range(count):
        quote = "Gunmen attacked" if i != bad_at else "Gunmen did not attack"
        lines.append(
            f"  - {{id: per:gunman-{i}, type: Person, name: Gunman {i}, aliases: [G{i}],"
            f" evidence: [{{quote: {quote}}}]}}"
        )
    return "\n".join(lines) + "\n"


def test_an_annotation_file_with_50000_items(scratch: ScratchWorkspace, seed_graph: Graph) -> None:
    scratch.annotate(_items(50_000))
    result = run(scratch, "validate")
    assert result.exit_code == 0, result.output
    assert f"{len(seed_graph.entities) + 50_000} entities" in result.output


def test_one_bad_item_deep_in_a_large_file_is_one_line_and_rejects_the_file(
    scratch: ScratchWorkspace, seed_graph: Graph
) -> None:
    scratch.annotate(_items(5_000, bad_at=4_000))
    (line,) = assert_rejected(run(scratch, "validate"))
    assert re.search(
        r"mini\.yaml:4003: error: quote not found in doc:mini: 'Gunmen did not attack'", line
    )
    assert_mini_rejected_alone(scratch.workspace.build(), seed_graph)
