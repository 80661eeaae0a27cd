"""Create a new workspace: the default schema, queries and gazetteer, kg.toml, a README."""

from __future__ import annotations

from importlib.abc import Traversable
from pathlib import Path

from kg import defaults
from kg.errors import WorkspaceError

__all__ = ["init_workspace"]

KG_TOML = """\
# kg workspace settings. Precedence: command-line option > environment variable > this file
# > built-in default; `kg config` shows the effective values and where each comes from.
# Credentials never go here: set NEO4J_PASSWORD in the environment (or answer the prompt).

[neo4j]
# uri = "bolt://127.0.0.1:7687"     # NEO4J_URI; unset: the server of `kg neo4j start`
# database = "neo4j"                # NEO4J_DATABASE
# username = "neo4j"                # NEO4J_USERNAME

[rdf]
base_iri = "https://kg.example.org/id/"

[dates]
# order = "DMY"                     # read numeric dates like 03/04/2005 day first (or "MDY")

[network]
projection = "actors"
measure = "pagerank"                # or degree, betweenness, eigenvector, closeness, all
"""

GITIGNORE = """\
.kg/
exports/*
!exports/.gitkeep
.env
"""

README = """\
# A kg workspace

- `schema/`: entity types, relation types and vocabularies. Add your own types and relations
  here (for example a `Vehicle` type and a `uses_vehicle` relation); every kg command, the
  Neo4j labels and the RDF ontology follow the schema with no code change.
- `seeds/articles/`: articles, Markdown with YAML front matter (title, publication, date, url).
- `seeds/annotations/`: one YAML file per article: entities, incidents, claims and relations,
  each with the exact quote from the article as evidence. `kg extract` can draft them.
- `seeds/gazetteer.yaml`: entities `kg extract` knows by name (countries, places,
  organisations, people, with aliases and demonyms). Edit it: add the names of your cases.
- `queries/`: named Cypher queries for `kg query NAME`.
- `exports/`: what kg writes.

Workflow:

    kg validate            # check schema, articles and annotations (file:line for each problem)
    kg build               # write exports/graph.json
    kg neo4j start         # a local Neo4j (Java 17 and Maven needed), or set NEO4J_URI
    kg load                # load into Neo4j
    kg query --list        # named queries
    kg config              # effective settings and where each comes from
"""


def _copy_tree(source: Traversable, target: Path, planned: dict[Path, bytes]) -> None:
    for item in source.iterdir():
        if item.is_dir() or item.name.startswith(("_", ".")) or item.name.endswith(".pyc"):
            continue
        planned[target / item.name] = item.read_bytes()


def init_workspace(target: Path, *, force: bool = False) -> list[Path]:
    """Create a workspace in ``target``; refuses to overwrite any file unless ``force``.

    Nothing is written when a file would be overwritten: the check comes first.
    """
    planned: dict[Path, bytes] = {}
    _copy_tree(defaults.schema(), target / "schema", planned)
    _copy_tree(defaults.queries(), target / "queries", planned)
    planned[target / "seeds" / "gazetteer.yaml"] = defaults.gazetteer().read_bytes()
    planned[target / "kg.toml"] = KG_TOML.encode()
    planned[target / ".gitignore"] = GITIGNORE.encode()
    planned[target / "README.md"] = README.encode()
    planned[target / "exports" / ".gitkeep"] = b""
    existing = sorted(p for p in planned if p.exists())
    if existing and not force:
        shown = ", ".join(str(p) for p in existing[:5]) + (" ..." if len(existing) > 5 else "")
        raise WorkspaceError(f"would overwrite {shown}; use --force to replace them")
    for folder in (target / "seeds" / "articles", target / "seeds" / "annotations"):
        folder.mkdir(parents=True, exist_ok=True)
    for path, content in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return sorted(planned)
