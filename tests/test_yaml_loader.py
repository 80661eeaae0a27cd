"""kg's quick YAML construction gives what PyYAML's own SafeLoader gives, line numbers too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kg import yamlio
from kg.yamlio import LineDict, load_yaml_text

CASES = [
    "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: 2004-07-30\ng: '12'\nh: 0x1F\ni: .inf\nj: ''\n"
    "k:\nl: [1, x, -2, 3e4, 'no', no, yes, On, '', \"q\"]\n",
    "base: &b {m: 1, n: [2, 3]}\nmerged:\n  <<: *b\n  o: 4\n",
    "x: &a [1, 2]\ny: *a\n",
    "? [1, 2]\n: v\n1: a\n2.5: b\nnull: c\n",
    "- !!str 12\n- !!int '7'\n- ! 12\n- !!binary aGk=\n- !!set {a, b}\n",
    "inline: {<<: {p: 1}, q: 2}\n",
    "document: x\nentities:\n  - id: org:a\n    type: Organisation\n    aliases: [A, 'B']\n",
]


class _Reference(yaml.SafeLoader):
    """The pure-Python SafeLoader with kg's constructors, and nothing quicker."""


for _tag, _construct in yamlio._Loader.yaml_constructors.items():
    _Reference.add_constructor(_tag, _construct)


def shape(value: Any) -> Any:
    if isinstance(value, LineDict):
        return (value.line, value.key_lines, {k: shape(v) for k, v in value.items()})
    if isinstance(value, list):
        return [shape(v) for v in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("text", CASES)
def test_same_values_and_lines_as_pyyaml(text: str) -> None:
    assert shape(load_yaml_text(text, "t.yaml")) == shape(_Reference(text).get_single_data())


# Texts in the subset the fast reader reads (kg.yamlfast), each with what it must give.
FAST = [
    '# a comment\ndocument: "d"\n\nentities:\n  - id: "org:a"  # trailing\n    type: Organisation\n'
    '    aliases: ["A", "B"]\n    evidence:\n      - quote: "the A"\n        occurrence: 2\n'
    'incidents:\n- kind: \'raid\'\n  participants:\n  - {entity: "org:a", role: "target"}\n'
    "  - {}\n  note:\nclaims: []\nrelations:\n",
    'a: 1\nb: 1.5\nc: true\nd: null\nf: 2004-07-30\nh: 0x1F\ni: yes\nj: ""\nk: it\'s fine\n'
    'l:\n  - x\n  - 12\n  - "q # not a comment"\nm: [ "a" , "b" ]\n',
    'top:\n    deep:\n        deeper: "x"\n    back: "y"\nnext: [] # c\n',
    # blocks closed several at a time, a sequence at its key's column, a key left empty
    'a:\n- x\n- y:\n    z: "1"\n  w:\n  - "v"\nb:\n  c:\n    - d: 1\n      e:\n        - "f"\ng:\n',
    # a quoted value followed by spaces or a comment (read by the slower path), in a mapping
    # and first in a sequence's mapping; sequence entries after deeper blocks
    'a: "x"  \nb: "y" # c\nc:\n  - d: "1"   \n    e: "2"\n  - f: "3" # g\n    h: "4"\n'
    '  - i: "5"\n    j:\n      - k: "6"\n  - l: "7"\n',
]
# Texts it leaves to the full loader: escapes, folding, anchors, tags, block scalars,
# complex keys, odd indentation, duplicate keys, several documents, tabs, CR.
GIVE_UP = [
    'a: "x\\ty"\n',
    'a: "x\n  y"\n',
    "a: x\n  y\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  text\n",
    "? a\n: b\n",
    "a: 1\na: 2\n",
    "a:\n  b: 1\n   c: 2\n",
    "a:\n  b: 1\n  - c\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a:\t1\n",
    "a: 1\r\n",
    "- a\n- b\n",
    "a: {b: 1}\n",
    "a: [x, y]\n",
    "true: 1\n",
    "a: b: c\n",
    "a: 'it''s'\n",
    "a:\n  -\n    b: 1\n",
    "a:\n  - - b\n",
    "a: x # c\n  b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n  - b\n   - c\n",
    "a: x\x01\n",
    "a: 1\n\x7f\n",
]


@pytest.mark.parametrize("text", FAST)
def test_fast_reader_gives_what_pyyaml_gives(text: str) -> None:
    from kg.yamlfast import fast_load

    found = fast_load(text, yamlio._Loader, LineDict)
    assert found is not None
    assert shape(found) == shape(_Reference(text).get_single_data())
    assert shape(load_yaml_text(text, "t.yaml")) == shape(found)


@pytest.mark.parametrize("text", GIVE_UP)
def test_fast_reader_leaves_the_rest_to_the_full_loader(text: str) -> None:
    from kg.yamlfast import fast_load

    assert fast_load(text, yamlio._Loader, LineDict) is None


def test_fast_reader_on_edited_annotation_files(tmp_path: Path) -> None:
    """Small random edits of kg synth annotation files (most make them malformed): whenever
    the fast reader reads the result, PyYAML reads it too, to the same values and lines."""
    import random

    from kg.synth import synth_workspace
    from kg.yamlfast import fast_load

    synth_workspace(tmp_path / "w", 3, seed=5)
    texts = [p.read_text() for p in sorted((tmp_path / "w/seeds/annotations").glob("*.yaml"))]
    pieces = [
        "- ",
        ": ",
        "  ",
        "#",
        '"',
        "'",
        "[",
        "]",
        "{",
        "}",
        ",",
        "-",
        ":",
        "1",
        "yes",
        "~",
        "&x ",
        "*x",
        "!t ",
        "|",
        "\n",
        "\n  ",
        "? ",
        "1.5",
        "2004-01-02",
        "\\",
    ]
    rng = random.Random(7)
    read = 0
    for text in texts:
        assert shape(fast_load(text, yamlio._Loader, LineDict)) == shape(
            _Reference(text).get_single_data()
        )
    for _ in range(1500):
        lines = rng.choice(texts).split("\n")[: rng.randint(3, 40)]
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            at = rng.randint(0, len(lines[i]))
            if rng.random() < 0.5:
                lines[i] = lines[i][:at] + rng.choice(pieces) + lines[i][at:]
            elif rng.random() < 0.5:
                lines[i] = lines[i][:at] + lines[i][at + rng.randint(1, 3) :]
            else:
                lines[i] = " " * rng.randint(0, 8) + lines[i].lstrip()
        edited = "\n".join(lines)
        found = fast_load(edited, yamlio._Loader, LineDict)
        if found is not None:
            read += 1
            assert shape(found) == shape(_Reference(edited).get_single_data()), edited
    assert read > 100  # the edits that keep the file in the subset are compared
