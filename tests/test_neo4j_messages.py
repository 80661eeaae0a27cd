"""Errors that used to mislead (issue 16): bad hosts, a stopped local server, dates, ranges."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import QueryError
from kg.neo4j.queries import bind, convert_param, parse_query

from .conftest import ROOT


def _kg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run(
        [sys.executable, "-m", "kg", "--workspace", str(ROOT), *args],
        env={**clean, **env}, capture_output=True, text=True, timeout=120, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("scheme", ["neo4j+s", "bolt", "neo4j"])
def test_unresolvable_host_is_one_line_and_exit_2(scheme: str, tmp_path: Path) -> None:
    uri = f"{scheme}://db.example.invalid:7687"
    done = _kg("load", "--uri", uri, NEO4J_PASSWORD="x", KG_NEO4J_HOME=str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"kg: error: cannot reach Neo4j at {uri}: Cannot resolve address"
        " db.example.invalid:7687; check the host name"
    ]


def test_stopped_local_server_is_named_not_the_password(tmp_path: Path) -> None:
    (tmp_path / "password").write_text("stored-secret\n", encoding="utf-8")
    done = _kg("load", KG_NEO4J_HOME=str(tmp_path))
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("kg: error: the local Neo4j server is not running")
    assert "kg neo4j start" in line and "no password" not in line
    assert "stored-secret" not in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("value", "ptype", "expected"),
    [
        ("2004-08", "date", dt.date(2004, 8, 1)),
        ("2004", "date", dt.date(2004, 1, 1)),
        ("2004-08-06", "date", dt.date(2004, 8, 6)),
        ("2004-02", "date_end", dt.date(2004, 2, 29)),
        ("2004", "date_end", dt.date(2004, 12, 31)),
    ],
)
def test_dates_take_months_and_years(value: str, ptype: str, expected: dt.date) -> None:
    assert convert_param(value, ptype, "since") == expected


def test_a_bad_date_names_the_value() -> None:
    with pytest.raises(QueryError, match=r"since='2004-13' is not a valid date"):
        convert_param("2004-13", "date", "since")


def test_int_ranges_are_declared_and_enforced() -> None:
    named = parse_query(
        "// description: x\n// param: depth int optional default=2 range=1..3 Steps\nRETURN 1",
        "q.cypher",
        "q",
    )
    assert named.params["depth"].bounds == (1, 3)
    assert bind(named, {})["depth"] == 2
    assert bind(named, {"depth": "3"})["depth"] == 3
    for bad in ("0", "5"):
        with pytest.raises(
            QueryError, match=rf"depth={bad} is out of range \(depth must be 1 to 3\)"
        ):
            bind(named, {"depth": bad})


def test_shipped_actor_network_declares_its_depth_range() -> None:
    from kg.neo4j.queries import load_query

    named = load_query(ROOT / "queries" / "actor-network.cypher")
    assert named.params["depth"].bounds == (1, 3)
    with pytest.raises(QueryError, match="depth must be 1 to 3"):
        bind(named, {"actor": "KNB", "depth": "5"})
