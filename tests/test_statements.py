"""Statements from many documents: merging descriptions, disagreements, no cascade, partial builds."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.graphjson import graph_to_dict, read_graph_json
from kg.model import Participant, Statement
from kg.schema import Schema

from .conftest import ScratchWorkspace

BOMBINGS = "inc:2004-07-30-tashkent-bombings"
SECOND_REPORT = """\
document: mini
entities:
  - id: org:kyrgyz-interior-ministry
    type: Organisation
    name: Kyrgyz interior ministry
incidents:
  - id: inc:2004-07-30-tashkent-bombings
    date: 2004-07-31
    participants:
      - {entity: org:kyrgyz-interior-ministry, role: investigator}
      - {entity: KNB, role: investigator}
    evidence:
      - quote: "the Kyrgyz interior ministry said"
"""


def run(scratch: ScratchWorkspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--workspace", str(scratch.root), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_second_article_adds_to_an_incident_and_disagrees_on_its_date(
    scratch: ScratchWorkspace, schema: Schema
) -> None:
    """The second report gives only a date and a participant (one referred to by name only,
    declared by the other file): the incident keeps both files' participants, each with its
    documents, and both dates with theirs; one warning names the property, values and files."""
    scratch.annotate(SECOND_REPORT)
    result = scratch.workspace.build(schema)
    assert result.ok and not result.rejected, [str(p) for p in result.problems]
    incident = result.graph.incidents[BOMBINGS]
    assert incident.title == "Tashkent terrorist bombings"  # from the first file only
    assert Participant("org:kyrgyz-interior-ministry", "investigator") in incident.participants
    assert Participant("org:knb", "investigator") in incident.participants
    assert Participant("grp:tashkent-bombers", "perpetrator") in incident.participants
    docs = {s.value: s.documents for s in result.graph.statements if s.record == BOMBINGS}
    seed_doc = "doc:edm-2004-v1-i75-kazakh-uzbek-security"
    assert docs["org:knb investigator"] == ("doc:mini",)
    assert docs["grp:tashkent-bombers perpetrator"] == (seed_doc,)
    dates = result.graph.disputed()[(BOMBINGS, "date")]
    assert {(s.value, s.documents) for s in dates} == {
        ("2004-07-30", (seed_doc,)),
        ("2004-07-31", ("doc:mini",)),
    }
    chosen = [s for s in dates if s.chosen]
    assert len(chosen) == 1 and chosen[0].value == str(incident.date)
    warnings = [p for p in result.warnings if p.code == "disagreement"]
    assert len(warnings) == 1
    message = warnings[0].message
    assert BOMBINGS in message and " date:" in message
    assert "2004-07-30" in message and "2004-07-31" in message
    assert "mini.yaml" in message and "kazakh-uzbek-security.yaml" in message
    # graph.json keeps every statement, and reads back to the same graph
    data = graph_to_dict(result.graph, schema)
    assert {"record": BOMBINGS, "property": "date", "value": "2004-07-31"}.items() <= next(
        s for s in data["statements"] if s["value"] == "2004-07-31"
    ).items()


def test_disagreement_is_a_warning_and_strict_makes_it_an_error(
    scratch: ScratchWorkspace,
) -> None:
    scratch.annotate(SECOND_REPORT)
    code, out = run(scratch, "build")
    assert code == 0, out
    assert "[disagreement]" in out
    graph_file = scratch.root / "exports" / "graph.json"
    graph_file.unlink()
    code, out = run(scratch, "build", "--strict")
    assert code == 1 and "[disagreement]" in out
    assert not graph_file.exists()


def test_the_graph_json_statements_read_back(scratch: ScratchWorkspace, schema: Schema) -> None:
    scratch.annotate(SECOND_REPORT)
    code, _ = run(scratch, "build")
    assert code == 0
    graph = read_graph_json(scratch.root / "exports" / "graph.json", schema)
    built = scratch.workspace.build(schema).graph
    assert graph.statements == built.statements and graph.incidents == built.incidents
    assert any(not s.chosen for s in graph.statements)


def test_required_properties_hold_for_the_merged_record(
    scratch: ScratchWorkspace, schema: Schema
) -> None:
    """A description without a title is fine when another file gives it; alone it is not.
    The file is then rejected whole, its document too (as for any other error)."""
    scratch.annotate(SECOND_REPORT.replace(BOMBINGS, "inc:osh-border-post-attack"))
    result = scratch.workspace.build(schema)
    assert [r.rsplit("/", 1)[-1] for r in result.rejected] == ["mini.yaml"]
    assert "doc:mini" not in result.graph.documents
    assert "doc:mini" not in scratch.workspace.build(schema).graph.documents  # from the cache
    assert any(
        p.code == "missing-property" and "'title'" in p.message and "mini.yaml" in str(p)
        for p in result.errors
    )


def test_no_cascade_a_rejected_file_does_not_make_references_unknown(
    scratch: ScratchWorkspace, schema: Schema
) -> None:
    """mini.yaml declares an organisation and has a bad quote; other.yaml (another article)
    refers to the organisation by name. other.yaml is accepted; its link to the missing record
    is left out with a warning naming it, never reported as an unknown reference."""
    scratch.write(
        "seeds/articles/other.md",
        "---\ntitle: Other\ndate: 2005-03-15\n---\nThe ministry was criticised on Monday.\n",
    )
    scratch.annotate(
        """\
        document: mini
        entities:
          - id: org:kyrgyz-interior-ministry
            type: Organisation
            name: Kyrgyz interior ministry
            evidence: ["no such quote"]
        """
    )
    scratch.annotate(
        """\
        document: other
        entities:
          - id: per:critic
            type: Person
            name: A critic
        relations:
          - type: opposes
            source: per:critic
            target: Kyrgyz interior ministry
            evidence: ["The ministry was criticised"]
        """,
        name="other",
    )
    result = scratch.workspace.build(schema)
    assert [r.rsplit("/", 1)[-1] for r in result.rejected] == ["mini.yaml"]
    assert "doc:other" in result.graph.documents and "per:critic" in result.graph.entities
    assert not any("unknown reference" in p.message for p in result.problems)
    left_out = [p for p in result.warnings if p.code == "left-out"]
    assert left_out and "org:kyrgyz-interior-ministry" in left_out[0].message
    assert not [r for r in result.graph.relations.values() if r.source == "per:critic"]


def test_partial_build_writes_the_accepted_files_and_exits_1(
    scratch: ScratchWorkspace,
) -> None:
    scratch.annotate(SECOND_REPORT.replace("the Kyrgyz interior", "the Kyrgyz exterior"))
    code, out = run(scratch, "build")
    assert code == 1
    assert "rejected: " in out and "mini.yaml" in out.split("rejected: ")[1]
    data = json.loads((scratch.root / "exports" / "graph.json").read_text("utf-8"))
    assert [d["id"] for d in data["documents"]] == ["doc:edm-2004-v1-i75-kazakh-uzbek-security"]
    (scratch.root / "exports" / "graph.json").unlink()
    code, _ = run(scratch, "build", "--strict")
    assert code == 1 and not (scratch.root / "exports" / "graph.json").exists()


def test_statements_are_ordered_and_typed() -> None:
    a = Statement("inc:x", "date", "2004-07-30", ("doc:a",), True)
    b = Statement("inc:x", "date", "2004-07-31", ("doc:b",), False)
    assert sorted([b, a]) == [a, b]


def test_statements_are_rdf_statements_and_read_back(
    scratch: ScratchWorkspace, schema: Schema, tmp_path: Path
) -> None:
    import rdflib

    from kg.rdf import build_shapes, export_rdf, graph_from_rdf, validate_shacl

    scratch.annotate(SECOND_REPORT)
    graph = scratch.workspace.build(schema).graph
    out = tmp_path / "graph.trig"
    export_rdf(graph, schema, "trig", out)
    assert graph_from_rdf(out, schema) == graph
    rdf = rdflib.Dataset()
    rdf.parse(out)
    rows = list(
        rdf.query(
            "PREFIX kg: <https://kg.example.org/ontology#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> "
            "SELECT ?value ?doc WHERE { ?s a rdf:Statement ; rdf:predicate kg:date ;"
            " rdf:object ?value ; prov:wasDerivedFrom ?doc ; kg:chosen false }"
        )
    )
    assert len(rows) == 1 and str(rows[0][1]).endswith("mini")
    assert validate_shacl(out, build_shapes(schema)) == []


def test_a_record_no_file_completes_is_an_error_at_each_description(
    scratch: ScratchWorkspace, schema: Schema
) -> None:
    scratch.write(
        "seeds/articles/other.md",
        "---\ntitle: Other\ndate: 2005-03-15\n---\nSo the Kyrgyz interior ministry said.\n",
    )
    report = SECOND_REPORT.replace(BOMBINGS, "inc:untitled")
    scratch.annotate(report)
    scratch.annotate(report.replace("document: mini", "document: other"), name="other")
    result = scratch.workspace.build(schema)
    assert sorted(r.rsplit("/", 1)[-1] for r in result.rejected) == ["mini.yaml", "other.yaml"]
    missing = [p for p in result.errors if p.code == "missing-property"]
    assert {p.location.file.rsplit("/", 1)[-1] for p in missing} == {"mini.yaml", "other.yaml"}
    assert all("no accepted file describing it gives one" in p.message for p in missing)
    assert {p.message.split("property ")[1].split()[0] for p in missing} == {"'kind'", "'title'"}
