"""The loader's batch parameters, without a server: links and evidence of new records."""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from kg.model import Graph
from kg.neo4j import loader
from kg.neo4j.plan import batches
from kg.schema import Schema


def _row(record: str, target: str, **props: Any) -> dict[str, Any]:
    return {"record": record, "target": target, "key": target, "props": props}


def test_new_links_name_each_record_and_each_target_once() -> None:
    rows = [
        _row("inc:a", "pla:x"),
        _row("inc:a", "pla:y", role="site"),
        _row("inc:b", "pla:x"),
        _row("inc:c", "pla:x"),  # a record the database may hold: merged as it is
    ]
    batch = loader._split(rows, {"inc:a", "inc:b"}, "target")
    assert batch["records"] == ["inc:a", "inc:b"]
    assert batch["new"] == [
        {"id": "pla:x", "links": [[0, "pla:x", {}], [1, "pla:x", {}]]},
        {"id": "pla:y", "links": [[0, "pla:y", {"role": "site"}]]},
    ]  # fmt: skip
    assert batch["rows"] == [rows[3]]


def test_evidence_of_new_records_is_grouped_by_document() -> None:
    rows = [
        {"record": "per:a", "document": "doc:1", "key": "doc:1|0|4", "props": {"start": 0}},
        {"record": "per:b", "document": "doc:1", "key": "doc:1|9|12", "props": {"start": 9}},
    ]
    batch = loader._split(rows, {"per:a", "per:b"}, "document")
    assert batch["records"] == ["per:a", "per:b"] and batch["rows"] == []
    assert [(t["id"], [link[0] for link in t["links"]]) for t in batch["new"]] == [
        ("doc:1", [0, 1])
    ]


def test_without_new_records_every_row_is_merged() -> None:
    rows = [_row("inc:a", "pla:x")]
    assert loader._split(rows, set(), "target") == {"rows": rows, "records": [], "new": []}


class _Result:
    """A statement sent to a fake transaction: what it returns, and when it was waited for."""

    def __init__(self, log: list[str], name: str, values: list[Any] | None) -> None:
        self.log, self.name, self.values = log, name, values

    def single(self) -> Any:
        self.log.append(f"wait {self.name}")
        return None if self.values is None else _Record(self.values)

    def consume(self) -> Any:
        counters = SimpleNamespace(**dict.fromkeys(loader._COUNTERS, 0))
        return SimpleNamespace(counters=counters)


class _Record:
    def __init__(self, values: list[Any]) -> None:
        self._values = values

    def values(self) -> list[Any]:
        return self._values


class _Transaction:
    """Records the order in which statements are sent and waited for."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.sent: list[dict[str, Any]] = []
        """Each statement's parameters as they were sent (the driver packs them then)."""
        self.kept: list[dict[str, Any]] = []
        """The parameter objects themselves, as the driver keeps them."""

    def run(self, query: str, **params: Any) -> _Result:
        kind = "node" if "SET n +=" in query else "other"
        self.log.append(f"send {kind}")
        self.sent.append({k: dict(v) if isinstance(v, dict) else v for k, v in params.items()})
        self.kept.append(params)
        return _Result(self.log, kind, [[]] if kind == "node" else None)


def test_a_batch_s_statements_are_sent_before_the_ones_before_them_are_waited_for(
    seed_graph: Graph, schema: Schema
) -> None:
    """The node statements go out one after the other, then are waited for (what they return
    decides how links are written); then every other statement goes out before any is
    waited for: the server runs one while the next is packed and sent."""
    _, documents = batches(seed_graph, schema, 1000)
    batch = documents[0]
    tx = _Transaction()
    loader._write(tx, batch, schema, ("nodes", "links", "relations"))  # type: ignore[arg-type]
    nodes = len(batch.nodes)
    others = len(tx.log) // 2 - nodes
    assert nodes > 1 and others > 1
    assert tx.log == (
        ["send node"] * nodes + ["wait node"] * nodes + ["send other"] * others
        + ["wait other"] * others
    )  # fmt: skip


class _Watching(_Transaction):
    """Notes, at each statement sent and each waited for, whether ``alive()`` holds."""

    def __init__(self, alive: Callable[[], bool]) -> None:
        super().__init__()
        self.alive = alive

    def run(self, query: str, **params: Any) -> _Result:
        result = super().run(query, **params)
        self.log[-1] += " (before: held)" if self.alive() else " (before: gone)"
        single = result.single

        def waited() -> Any:
            found = single()
            self.log[-1] += " (before: held)" if self.alive() else " (before: gone)"
            return found

        result.single = waited  # type: ignore[method-assign]
        return result


def test_the_batch_before_is_let_go_of_once_the_node_statements_are_sent(
    seed_graph: Graph, schema: Schema
) -> None:
    """The writing thread frees the batch committed before this one (``spent``) while the
    server runs this one's node statements: not between the two transactions, when the
    server would wait for it."""
    _, documents = batches(seed_graph, schema, 100)
    batch, spent = documents[0], [documents.pop(1)]
    held = weakref.ref(spent[0])
    del documents
    tx = _Watching(lambda: held() is not None)
    loader._write(tx, batch, schema, ("nodes", "links", "relations"), spent)  # type: ignore[arg-type]
    nodes = len(batch.nodes)
    assert spent == [] and held() is None
    assert tx.log[:nodes] == ["send node (before: held)"] * nodes
    assert tx.log[nodes:] and all(entry.endswith("(before: gone)") for entry in tx.log[nodes:])


def test_batches_written_are_let_go_of_by_the_writing_thread(
    seed_graph: Graph, schema: Schema
) -> None:
    """``_pipelined`` yields each batch's counters and number of documents, not the batch:
    every batch but the last is freed by the writing thread, once the next one is sent."""
    entities, documents = batches(seed_graph, schema, 10)
    written = [*entities, *documents]
    del entities, documents
    assert len(written) >= 3
    freed: list[str] = []
    counts = [len(batch.documents) for batch in written]
    for batch in written:
        weakref.finalize(batch, lambda: freed.append(threading.current_thread().name))
    del batch

    def work() -> Iterator[tuple[Any, tuple[str, ...]]]:
        while written:
            yield written.pop(0), ("nodes", "links", "relations")

    class _Session:
        def execute_write(self, write: Callable[..., Any], *args: Any) -> Any:
            return write(_Transaction(), *args)

    yielded = [(documents_written, parts) for _, documents_written, parts
               in loader._pipelined(_Session(), schema, work())]  # type: ignore[arg-type]  # fmt: skip
    assert [n for n, _ in yielded] == counts
    assert len(freed) == len(counts)
    assert all(name.startswith("kg-load") for name in freed[:-1]), freed


def test_links_are_grouped_by_the_thread_that_built_the_batch(
    seed_graph: Graph, schema: Schema
) -> None:
    """``_group`` splits the links and evidence of a batch's new records once, before the batch
    is written; the write sends those, and splits again only if a node statement found a new
    record held (``new`` is then another set). The rows sent are let go once the statement
    has run (the driver keeps its parameters)."""
    _, documents = batches(seed_graph, schema, 1000)
    batch = loader._group(documents[0], schema)
    key, rows = next(iter(batch.links.items()))
    assert batch.grouped[key] == loader._split(rows, batch.new, "target")
    assert loader._grouped(batch, key, rows, batch.new, "target") is batch.grouped[key]
    fewer = set(list(batch.new)[1:])
    assert loader._grouped(batch, key, rows, fewer, "target") == loader._split(
        rows, fewer, "target"
    )
    tx = _Transaction()
    loader._write(tx, batch, schema, ("nodes", "links", "relations"))  # type: ignore[arg-type]
    assert any(params["batch"] == batch.grouped[key] for params in tx.sent)
    # Once run, what the driver keeps of a statement holds no rows; the batch still does (a
    # retried transaction sends them again).
    assert all(params["batch"] == {} for params in tx.kept)
    assert batch.grouped[key] == loader._split(rows, batch.new, "target")


def _packed(value: Any) -> bytes:
    """``value`` as the driver packs it for a Bolt 5 server (dehydration hooks included)."""
    from neo4j._codec.hydration.v2 import HydrationHandler
    from neo4j._codec.packstream.v1 import PackableBuffer, Packer

    buffer = PackableBuffer()
    Packer(buffer).pack(value, HydrationHandler().new_hydration_scope().dehydration_hooks)
    return bytes(buffer.data)


def test_a_statement_s_parameters_have_a_short_repr_and_pack_as_a_map() -> None:
    """The driver formats the repr of every statement's parameters (for a debug line it may
    not log): a batch's is a few words, whatever its size; it is sent as the same map."""
    rows = [{"id": f"per:{n}", "props": {"name": "x" * 50}, "keep": None} for n in range(1000)]
    params = loader._Parameters(rows=rows)
    assert len(repr({"batch": params})) < 100
    assert _packed({"batch": params}) == _packed({"batch": {"rows": rows}})


def test_the_first_entity_batch_is_a_tenth_of_the_others(seed_graph: Graph, schema: Schema) -> None:
    """The server starts writing once the first batch is built: it is made small."""
    entities, _ = batches(seed_graph, schema, 40)
    sizes = [batch.size for batch in entities]
    assert len(sizes) > 2 and 4 <= sizes[0] < 10 and all(s >= 40 for s in sizes[1:-1])


def test_dates_go_as_the_driver_would_send_them() -> None:
    days = [dt.date(2004, 3, 1), dt.date(1970, 1, 1), dt.date(1969, 12, 31),
            dt.date(1, 1, 1), dt.date(9999, 12, 31)]  # fmt: skip
    moment = dt.datetime(2004, 3, 1, 12, 30)
    props = {"date_start": days, "when": moment, "name": "x", "n": 3}
    props.update({f"d{i}": day for i, day in enumerate(days)})
    before = _packed(props)
    loader._sent_dates(props)
    assert all(not isinstance(props[f"d{i}"], dt.date) for i in range(len(days)))
    assert props["when"] is moment and props["date_start"] is days  # not a date: as it was
    assert _packed(props) == before


def test_the_dates_of_nodes_and_relations_are_made_ready_with_the_batch(
    seed_graph: Graph, schema: Schema
) -> None:
    entities, documents = batches(seed_graph, schema, 1000)
    dated = 0
    for batch in [*entities, *documents]:
        loader._group(batch, schema)
        for rows in [*batch.nodes.values(), *batch.relations.values()]:
            for row in rows:
                values = row["props"].values()
                assert not any(type(value) is dt.date for value in values)
                dated += sum(1 for value in values if type(value).__name__ == "Structure")
    assert dated > 0
