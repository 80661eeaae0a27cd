"""Ids are deterministic, readable and safe for any name."""

from __future__ import annotations

from kg.ids import make_id, slugify, stable_hash


def test_ids_are_readable_and_stable() -> None:
    assert make_id("per", "Nikolai Borduzha") == "per:nikolai-borduzha"
    assert make_id("per", "Nikolai Borduzha") == make_id("per", "nikolai  BORDUZHA")


def test_accents_fold_and_other_scripts_stay_readable() -> None:
    assert slugify("Ñuñoa Café") == "nunoa-cafe"
    assert make_id("per", "Нурсултан Назарбаев") == "per:нурсултан-назарбаев"


def test_empty_or_long_slugs_fall_back_to_a_hash() -> None:
    assert make_id("org", "!!!") == f"org:{stable_hash('!!!')}"
    long_id = make_id("org", "x" * 200)
    assert len(long_id) < 90 and long_id == make_id("org", "x" * 200)
    assert make_id("org", "x" * 200) != make_id("org", "x" * 201)


def test_hash_separates_parts() -> None:
    assert stable_hash("ab", "c") != stable_hash("a", "bc")
