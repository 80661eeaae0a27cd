"""Pictures: the PNG is a real, non-blank image; the HTML page opens without any network."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from matplotlib.image import imread

from kg.model import Graph
from kg.network import draw_graph, draw_png, to_networkx, write_html
from kg.network.draw import png_figure
from kg.network.labels import overlap, place_labels
from kg.network.layout import LAYOUT_SEED, PALETTE, _unit, picture, type_colours
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


def crowded_graph(nodes: int = 200, edges: int = 600) -> nx.Graph:
    """A dense random graph with long names: the case where labels used to print over
    each other."""
    g = nx.gnm_random_graph(nodes, edges, seed=3)
    g = nx.relabel_nodes(g, {n: f"org:{n}" for n in g})
    for n in g:
        g.nodes[n].update(type="Organisation", name=f"Border Guard Service of Region {n}")
    return g


def label_boxes(figure: Any) -> list[tuple[float, float, float, float]]:
    """The drawn boxes (text plus its padded background) of the labels on the figure's axes."""
    renderer = figure.canvas.get_renderer()
    (axes,) = figure.axes
    boxes = []
    for text in axes.texts:
        extent = text.get_bbox_patch().get_window_extent(renderer)
        boxes.append((extent.x0, extent.y0, extent.x1, extent.y1))
    return boxes


@pytest.mark.parametrize("labels", [25, 60])
def test_png_labels_never_overlap_at_200_nodes(labels: int) -> None:
    pic = picture(crowded_graph(), measure="degree", labels=labels)
    figure = png_figure(pic, "crowded")
    figure.canvas.draw()  # lays the text out as savefig would
    boxes = label_boxes(figure)
    assert len(boxes) >= 20  # most top nodes still get their label
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]
    assert overlapping == []
    title = figure.axes[0].get_title()
    if len(boxes) < labels:  # the subtitle says some labels found no room
        assert f"labels on {len(boxes)} of the top {labels} by degree" in title
    else:
        assert f"labels on the top {labels} by degree" in title


def test_png_labels_of_the_seed_full_projection_do_not_overlap(
    seed_graph: Graph, schema: Schema
) -> None:
    g = to_networkx(seed_graph, schema, "full")
    figure = png_figure(picture(g, labels=40, type_order=list(schema.types)), "full")
    figure.canvas.draw()
    boxes = label_boxes(figure)
    assert len(boxes) >= 25
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def top_spacing(positions: dict[Any, tuple[float, float]], top: list[Any]) -> float:
    """Median distance from each of the ``top`` nodes to the nearest other one."""
    pts = np.array([positions[n] for n in top])
    gaps = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(gaps, np.inf)
    return float(np.median(gaps.min(axis=1)))


def test_the_layout_spreads_the_core_of_a_hub_graph() -> None:
    """No hairball: in a 200-node graph with hubs, the 50 top nodes (those labelled) stand
    further apart than a spring layout of the same graph puts them, measured side by side."""
    g = nx.barabasi_albert_graph(200, 3, seed=3)
    for n in g:
        g.nodes[n].update(type="Organisation", name=f"N {n}")
    pic = picture(g, measure="degree")
    top = sorted(g, key=lambda n: -pic.scores[n])[:50]
    spring = _unit(nx.spring_layout(g, seed=LAYOUT_SEED, k=1.8 / 200**0.5, iterations=300))
    assert top_spacing(pic.positions, top) > 1.2 * top_spacing(spring, top)


def test_html_labels_never_overlap_at_200_nodes(tmp_path: Path) -> None:
    page = tmp_path / "crowded.html"
    write_html(crowded_graph(), page, measure="degree", labels=60)
    text = page.read_text("utf-8")
    boxes = []
    for gx, gy, lx, ly, name in re.findall(
        r'translate\(([-\d.]+),([-\d.]+)\)"><circle[^>]*/>(?:<path[^>]*/>)?'
        r'<text x="([-\d.]+)" y="([-\d.]+)">([^<]*)</text>',
        text,
    ):
        x, y, half = float(gx) + float(lx), float(gy) + float(ly), len(name) * 6.8 / 2
        boxes.append((x - half, y - 7, x + half, y + 7))
    assert len(boxes) >= 20
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_place_labels_keeps_boxes_apart_and_inside() -> None:
    rng = np.random.default_rng(5)
    anchors = [(float(x), float(y), 3.0) for x, y in rng.uniform(0, 300, size=(80, 2))]
    sizes = [(float(w), 10.0) for w in rng.uniform(20, 90, size=80)]
    spots = place_labels(anchors, sizes, (0, 0, 300, 300))
    placed = [s.box for s in spots if s is not None]
    assert 10 <= len(placed) < 80  # crowded: some labels are left out, many are placed
    assert not any(overlap(a, b) for i, a in enumerate(placed) for b in placed[i + 1 :])
    assert all(b[0] >= 0 and b[2] <= 300 and b[1] >= 0 and b[3] <= 300 for b in placed)
    for (x, y, r), spot in zip(anchors, spots, strict=True):  # no label covers another node
        others = [(ax - r, ay - r, ax + r, ay + r) for ax, ay, _ in anchors if (ax, ay) != (x, y)]
        assert spot is None or not any(overlap(spot.box, o) for o in others)
