"""Pictures: the PNG is a real, non-blank image; the HTML page opens without any network."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from matplotlib.image import imread

from kg.model import Graph
from kg.network import draw_graph, draw_png, to_networkx, write_html
from kg.network.layout import PALETTE, picture, type_colours
from kg.schema import Schema


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def test_png_of_the_seed_actors_is_a_real_picture(
    seed_graph: Graph, schema: Schema, tmp_path: Path
) -> None:
    png = tmp_path / "pictures" / "graph.png"
    g = draw_graph(seed_graph, schema, png=png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = imread(png)
    assert image.shape[:2] == (9 * 120, 12 * 120)  # figure size (12, 9) inches at 120 dpi
    rgb = image[..., :3]
    assert rgb.std() > 0.02  # not blank
    assert (rgb.reshape(-1, 3) < 0.9).any(axis=1).mean() > 0.01  # a real share of ink
    # Every node type present is drawn in its colour.
    colours = type_colours([g.nodes[n]["type"] for n in g], list(schema.types))
    for type_name, colour in colours.items():
        close = np.abs(rgb - hex_rgb(colour)).max(axis=2) < 0.03
        assert close.sum() > 20, f"no {type_name} node drawn in {colour}"


def test_png_of_any_projection_and_measure(
    seed_graph: Graph, schema: Schema, tmp_path: Path
) -> None:
    for projection, measure in (("full", "degree"), ("bipartite", "betweenness")):
        path = tmp_path / f"{projection}.png"
        draw_graph(seed_graph, schema, png=path, projection=projection, measure=measure, labels=5)
        assert imread(path).shape[0] > 100


def test_draw_png_of_an_empty_and_a_tiny_graph(tmp_path: Path) -> None:
    draw_png(nx.Graph(), tmp_path / "empty.png", title="Nothing")
    assert imread(tmp_path / "empty.png").shape[0] > 0
    g = nx.Graph()
    g.add_node("a", type="Person", name="A")
    draw_png(g, tmp_path / "one.png", size=(4.0, 3.0), dpi=50)
    assert imread(tmp_path / "one.png").shape[:2] == (150, 200)


def test_labels_go_to_the_top_nodes_when_crowded() -> None:
    g = nx.star_graph(["hub", *(f"leaf{i}" for i in range(30))])
    g.add_node("isolated")
    pic = picture(g, measure="degree", labels=5)
    assert pic.labelled[0] == "hub" and len(pic.labelled) == 5
    crowded = picture(g, measure="degree", labels=31)  # 32 nodes: crowded, so none that score 0
    assert len(crowded.labelled) == 31 and "isolated" not in crowded.labelled
    assert "isolated" in picture(g, measure="degree", labels=32).labelled  # room for all
    small = picture(nx.path_graph(["a", "b", "c"]), labels=5)
    assert sorted(small.labelled) == ["a", "b", "c"]  # few nodes: all labelled
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pic.positions.values())


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value:
                self.refs.append((tag, name, value))


@pytest.mark.parametrize("projection", ["actors", "full"])
def test_html_page_is_self_contained(
    seed_graph: Graph, schema: Schema, tmp_path: Path, projection: str
) -> None:
    page = tmp_path / "graph.html"
    g = draw_graph(seed_graph, schema, html=page, projection=projection)
    text = page.read_text("utf-8")
    parser = _Refs()
    parser.feed(text)
    assert parser.refs == []  # no script src, no stylesheet link, no image from anywhere
    assert "link" not in parser.tags and "iframe" not in parser.tags
    assert not re.search(r"https?://|//cdn|@import|url\(", text, re.IGNORECASE)
    assert parser.tags.count("script") == 2 and "svg" in parser.tags
    found = re.search(r'id="graph-data">(.*?)</script>', text, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    simple = nx.Graph(g)
    assert set(data["nodes"]) == {str(n) for n in g}
    assert len(data["edges"]) == text.count("<line ") == simple.number_of_edges()
    assert text.count('class="node"') == g.number_of_nodes()


def test_html_escapes_names(tmp_path: Path) -> None:
    g = nx.Graph()
    g.add_edge("a", "b")
    g.nodes["a"].update(name="</script><b>x</b>", type="Person")
    write_html(g, tmp_path / "x.html", title="A & B")
    text = (tmp_path / "x.html").read_text("utf-8")
    assert "</script><b>" not in text and "&lt;/script&gt;" in text
    assert "<title>A &amp; B</title>" in text


def test_type_colours_follow_schema_order(schema: Schema) -> None:
    colours = type_colours(["Country", "Person"], list(schema.types))
    order = list(schema.types)
    assert colours["Person"] == PALETTE[order.index("Person")]
    assert colours["Country"] == PALETTE[order.index("Country")]


def test_draw_graph_writes_both_files(seed_graph: Graph, schema: Schema, tmp_path: Path) -> None:
    png, html = tmp_path / "g.png", tmp_path / "g.html"
    g = draw_graph(seed_graph, schema, png=png, html=html, since="2004-08")
    assert png.stat().st_size > 10_000 and html.stat().st_size > 1_000
    assert g.graph["since"] == "2004-08"
    assert "(2004-08..)" in html.read_text("utf-8")  # the window is in the title
    assert (
        to_networkx(seed_graph, schema, "actors", since="2004-08").number_of_edges()
        == g.number_of_edges()
    )
