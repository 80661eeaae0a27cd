"""Bad input: one clear file:line message per problem, exit 1, no traceback, nothing half-built."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner, Result

from kg.cli import main

from .conftest import MINI_ANNOTATION, ScratchWorkspace


def run(scratch: ScratchWorkspace, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(scratch.root), *args])


def assert_rejected(result: Result, pattern: str) -> None:
    output = result.output
    assert result.exit_code == 1, output
    assert ("Traceback" not in output and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    assert re.search(pattern, output), output


def test_mini_workspace_is_valid(scratch: ScratchWorkspace) -> None:
    scratch.annotate(MINI_ANNOTATION)
    result = run(scratch, "validate")
    assert result.exit_code == 0, result.output
    assert "2 document" in result.output


@pytest.mark.parametrize(
    ("old", "new", "pattern"),
    [
        (
            "    type: Place\n",
            "    type: Plaec\n",
            r"mini\.yaml:4: error: unknown entity type 'Plaec'.*\[unknown-type\]",
        ),
        (
            "    kind: attack\n",
            "    kind: picnic\n",
            r"mini\.yaml:\d+: error: 'kind': 'picnic' is not in incident_kinds",
        ),
        (
            "    place: plc:osh\n",
            "    place: plc:bishkek\n",
            r"mini\.yaml:\d+: error: 'place': unknown reference 'plc:bishkek'.*\[dangling-reference\]",
        ),
        (
            "    date: March 12\n",
            "    date: February 30\n",
            r"mini\.yaml:\d+: error: 'date': impossible date 2005-02-30.*\[bad-date\]",
        ),
        (
            "    date: March 12\n",
            "    date: 03/04/2005\n",
            r"mini\.yaml:\d+: error: 'date': ambiguous date",
        ),
        (
            '"Gunmen attacked a border post near Osh on March 12"',
            '"Gunmen attacked a border post near Bishkek"',
            r"mini\.yaml:\d+: error: quote not found in doc:mini.*\[quote-not-found\]",
        ),
        (
            "    place: plc:osh\n",
            "    place: org:kyrgyz-interior-ministry\n",
            r"mini\.yaml:\d+: error: 'place' refers to org:kyrgyz-interior-ministry \(Organisation\); allowed: Place, Country",
        ),
        (
            "incidents:\n",
            "  - id: plc:osh\n    type: Place\n    name: Osh City\nincidents:\n",
            r"mini\.yaml:11: error: id plc:osh is already used at line 3 \[duplicate-id\]",
        ),
        (
            "    content: Gunmen",
            "    contents: Gunmen",
            r"mini\.yaml:\d+: error: unknown key 'contents' for Claim",
        ),
        (
            "    stance: asserts\n",
            "    stance: [asserts]\n",
            r"mini\.yaml:\d+: error: 'stance': \['asserts'\] is not in stances",
        ),
    ],
)
def test_bad_annotation_items(scratch: ScratchWorkspace, old: str, new: str, pattern: str) -> None:
    assert old in MINI_ANNOTATION
    scratch.annotate(MINI_ANNOTATION.replace(old, new, 1))
    assert_rejected(run(scratch, "validate"), pattern)


def test_unknown_relation_type(scratch: ScratchWorkspace) -> None:
    scratch.annotate(
        MINI_ANNOTATION
        + "relations:\n  - type: befriends\n    source: plc:osh\n    target: plc:osh\n"
    )
    assert_rejected(
        run(scratch, "validate"), r"mini\.yaml:\d+: error: unknown relation type 'befriends'"
    )


def test_forbidden_source_target_pair(scratch: ScratchWorkspace) -> None:
    scratch.annotate(
        MINI_ANNOTATION
        + "relations:\n  - type: holds_post\n    source: plc:osh\n    target: org:kyrgyz-interior-ministry\n"
        "    title: mayor\n    evidence: [{quote: Osh}]\n"
    )
    assert_rejected(
        run(scratch, "validate"),
        r"mini\.yaml:\d+: error: holds_post does not allow Place as source \(plc:osh\); allowed: Person \[forbidden-pair\]",
    )


def test_malformed_yaml(scratch: ScratchWorkspace) -> None:
    scratch.annotate("document: mini\nentities:\n  - id: plc:osh\n    name: [Osh\n")
    assert_rejected(run(scratch, "validate"), r"mini\.yaml:\d+: error: malformed YAML")


def test_non_utf8_file(scratch: ScratchWorkspace) -> None:
    scratch.write(
        "seeds/annotations/mini.yaml",
        MINI_ANNOTATION.replace("Osh", "O\u0161").encode("latin-1", "replace")[:40] + b"\xe9\xff\n",
    )
    assert_rejected(run(scratch, "validate"), r"mini\.yaml:\d+: error: not valid UTF-8")


def test_non_utf8_article(scratch: ScratchWorkspace) -> None:
    scratch.write(
        "seeds/articles/mini.md", "---\ntitle: x\n---\nCaf\u00e9 bombing.\n".encode("cp1252")
    )
    scratch.annotate(MINI_ANNOTATION)
    assert_rejected(run(scratch, "validate"), r"mini\.md:4: error: not valid UTF-8 \(byte 0xe9\)")


def test_empty_and_binary_files(scratch: ScratchWorkspace) -> None:
    scratch.annotate("")
    scratch.write("seeds/annotations/blob.yaml", b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run(scratch, "validate")
    assert_rejected(result, r"mini\.yaml: error: empty file")
    assert re.search(r"blob\.yaml:\d+: error: binary file", result.output)


def test_annotation_for_a_missing_article(scratch: ScratchWorkspace) -> None:
    scratch.annotate(MINI_ANNOTATION.replace("document: mini", "document: nowhere"))
    assert_rejected(
        run(scratch, "validate"), r"mini\.yaml:1: error: 'document: nowhere' names no article"
    )


def test_every_problem_is_reported_not_just_the_first(scratch: ScratchWorkspace) -> None:
    bad = MINI_ANNOTATION.replace("    kind: attack\n", "    kind: picnic\n").replace(
        "    stance: asserts\n", "    stance: shouts\n"
    )
    scratch.annotate(bad)
    result = run(scratch, "validate")
    assert result.exit_code == 1
    assert "picnic" in result.output and "shouts" in result.output


def test_a_rejected_document_contributes_nothing_and_others_are_unaffected(
    scratch: ScratchWorkspace,
) -> None:
    scratch.annotate(MINI_ANNOTATION.replace("    date: March 12\n", "    date: February 30\n"))
    result = scratch.workspace.build()
    assert not result.ok
    assert result.rejected == [
        f"{scratch.root}/seeds/annotations/mini.yaml".replace(str(scratch.root) + "/", "")
    ] or any(r.endswith("mini.yaml") for r in result.rejected)
    graph = result.graph
    assert "doc:mini" not in graph.documents
    assert "plc:osh" not in graph.entities and not [i for i in graph.incidents if "osh" in i]
    assert "inc:2004-07-30-tashkent-bombings" in graph.incidents


def test_build_with_errors_writes_the_accepted_files_and_strict_writes_nothing(
    scratch: ScratchWorkspace,
) -> None:
    scratch.annotate(MINI_ANNOTATION.replace("plc:osh\n    evidence", "plc:nowhere\n    evidence"))
    assert run(scratch, "build", "--strict").exit_code == 1
    assert not (scratch.root / "exports" / "graph.json").exists()
    result = run(scratch, "build")
    assert result.exit_code == 1 and "mini.yaml" in result.output.split("rejected: ")[1]
    written = (scratch.root / "exports" / "graph.json").read_text("utf-8")
    assert "doc:edm-2004" in written and "doc:mini" not in written


def test_shared_alias_is_a_warning_naming_both(scratch: ScratchWorkspace) -> None:
    scratch.annotate(
        MINI_ANNOTATION.replace(
            "    name: Kyrgyz interior ministry\n",
            "    name: Kyrgyz interior ministry\n    aliases: [KNB]\n",
        )
    )
    result = run(scratch, "validate")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"warning: name or alias 'knb' is shared by org:knb and org:kyrgyz-interior-ministry",
        result.output,
    )
    assert run(scratch, "validate", "--strict").exit_code == 1


def test_cross_document_entities_merge(scratch: ScratchWorkspace) -> None:
    scratch.annotate(
        MINI_ANNOTATION.replace(
            "  - id: plc:osh\n",
            "  - id: cty:kyrgyzstan\n    type: Country\n    name: Kyrgyzstan\n    aliases: [Kirghizia]\n    evidence: [{quote: Kyrgyz}]\n  - id: plc:osh\n",
        )
    )
    result = scratch.workspace.build()
    assert result.ok, [str(p) for p in result.problems]
    kyrgyzstan = result.graph.entities["cty:kyrgyzstan"]
    assert "Kirghizia" in kyrgyzstan.aliases
    assert {ev.document for ev in kyrgyzstan.evidence} == {
        "doc:mini",
        "doc:edm-2004-v1-i75-kazakh-uzbek-security",
    }


def test_references_by_alias(scratch: ScratchWorkspace) -> None:
    scratch.annotate(
        MINI_ANNOTATION.replace("    place: plc:osh\n", "    place: Osh\n").replace(
            "  - speaker: org:kyrgyz-interior-ministry", "  - speaker: Kyrgyz Interior Ministry"
        )
    )
    result = scratch.workspace.build()
    assert result.ok, [str(p) for p in result.problems]
    assert result.graph.incidents["inc:osh-border-post-attack"].place == "plc:osh"
    claim = next(c for c in result.graph.claims.values() if c.evidence[0].document == "doc:mini")
    assert claim.speaker == "org:kyrgyz-interior-ministry"
    assert (
        claim.date is None
        and result.graph.incidents["inc:osh-border-post-attack"].date.isoformat() == "2005-03-12"
    )


def test_graph_json_from_build_round_trips_dates(scratch: ScratchWorkspace) -> None:
    scratch.annotate(MINI_ANNOTATION)
    assert run(scratch, "build").exit_code == 0
    data = json.loads((scratch.root / "exports" / "graph.json").read_text("utf-8"))
    osh = next(i for i in data["incidents"] if i["id"] == "inc:osh-border-post-attack")
    assert (osh["date"], osh["date_precision"], osh["cameo"]) == ("2005-03-12", "day", "180")
