"""kg's quick YAML construction gives what PyYAML's own SafeLoader gives, line numbers too."""

from __future__ import annotations

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
