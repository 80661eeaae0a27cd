"""Resolve Maven Central artifacts and their runtime jars into a cache folder, once."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

from kg.errors import ServerError

__all__ = ["artifact_id", "group_id", "locked", "resolve_artifacts", "tail", "write_atomic"]

_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
_COORDINATES = re.compile(r"[\w.-]+:[\w.-]+:\d[\w.-]*")
_MARKER = "resolved-jars.json"  # earlier kg wrote resolved.json + lib/
_JARS = "jars"  # repository layout: group/path/artifact/version/artifact-version.jar
_LOG_TAIL = 30

_POM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Throwaway project written by kg to resolve a runtime classpath. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kg</groupId><artifactId>kg-runtime</artifactId><version>0</version>
  <packaging>pom</packaging>
  <dependencies>
{dependencies}
  </dependencies>
</project>
"""
_DEPENDENCY = (
    "    <dependency><groupId>{0}</groupId><artifactId>{1}</artifactId>"
    "<version>{2}</version></dependency>"
)


def resolve_artifacts(
    cache_dir: Path,
    artifacts: Sequence[str],
    *,
    mvn: str = "mvn",
    maven_repo: Path | None = None,
    timeout: float = 1800.0,
) -> list[Path]:
    """The runtime jars of ``group:artifact:version`` coordinates, kept in ``cache_dir/jars``.

    A marker file makes later calls instant; Maven logs to ``cache_dir/maven.log``;
    ``maven_repo`` overrides Maven's local repository (``~/.m2/repository``). Jars keep
    Maven's repository layout, so ``group_id`` and ``artifact_id`` can read them back.
    """
    for coordinates in artifacts:
        if not _COORDINATES.fullmatch(coordinates):
            raise ServerError(f"not Maven coordinates: {coordinates!r} (group:artifact:version)")
    cache_dir = cache_dir.expanduser().resolve()
    jars = _cached_jars(cache_dir, artifacts)
    if jars is not None:
        return jars
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServerError(f"cannot create the cache folder {cache_dir}: {exc}") from exc
    with locked(cache_dir / ".lock"):  # another process may be resolving the same artifacts
        return _cached_jars(cache_dir, artifacts) or _run_maven(
            cache_dir, artifacts, mvn, maven_repo, timeout
        )


def group_id(jar: Path) -> str:
    """``org.neo4j.gds`` for ``.../org/neo4j/gds/proc/2.13.9/proc-2.13.9.jar`` (under jars/)."""
    parts = jar.parts
    start = len(parts) - parts[::-1].index(_JARS)  # just after the last "jars" folder
    return ".".join(parts[start:-3])


def artifact_id(jar: Path) -> str:
    """``proc`` for ``.../org/neo4j/gds/proc/2.13.9/proc-2.13.9.jar``."""
    return jar.parent.parent.name


def _cached_jars(cache_dir: Path, artifacts: Sequence[str]) -> list[Path] | None:
    try:
        marker = json.loads((cache_dir / _MARKER).read_text(encoding="utf-8"))
        names = marker["jars"] if marker["artifacts"] == list(artifacts) else []
    except (OSError, ValueError, KeyError, TypeError):
        return None
    jars = [cache_dir / _JARS / str(name) for name in names]
    return jars if jars and all(jar.is_file() for jar in jars) else None


def _run_maven(
    cache_dir: Path, artifacts: Sequence[str], mvn: str, maven_repo: Path | None, timeout: float
) -> list[Path]:
    executable = shutil.which(mvn)
    if executable is None:
        raise ServerError(f"Maven ({mvn!r}) not found on PATH; install it (apt-get install maven)")
    (cache_dir / _MARKER).unlink(missing_ok=True)
    pom, staging, log = cache_dir / "pom.xml", cache_dir / "jars.partial", cache_dir / "maven.log"
    dependencies = "\n".join(_DEPENDENCY.format(*c.split(":")) for c in artifacts)
    pom.write_text(_POM.format(dependencies=dependencies), encoding="utf-8")
    shutil.rmtree(staging, ignore_errors=True)
    command = [executable, "-B", "-ntp", "-f", str(pom), f"{_DEPENDENCY_PLUGIN}:copy-dependencies"]
    command += ["-DincludeScope=runtime", f"-DoutputDirectory={staging}"]
    command += ["-Dmdep.useRepositoryLayout=true"]
    if maven_repo is not None:
        command.append(f"-Dmaven.repo.local={maven_repo.expanduser().resolve()}")
    with log.open("w", encoding="utf-8") as out:
        try:
            failed = subprocess.run(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=cache_dir, timeout=timeout, check=False,
            ).returncode != 0  # fmt: skip
        except subprocess.TimeoutExpired:
            failed = True
            out.write(f"\n[kg] Maven did not finish within {timeout:.0f} s\n")
    found = sorted(path.relative_to(staging).as_posix() for path in staging.rglob("*.jar"))
    wanted = {(g, a) for g, a, _ in (c.split(":") for c in artifacts)}
    got = {(group_id(staging.parent / _JARS / n), artifact_id(Path(n))) for n in found}
    if failed or not wanted <= got:
        raise ServerError(
            f"Maven could not resolve {', '.join(artifacts)} (log: {log}):\n{tail(log)}"
        )
    jars = cache_dir / _JARS
    shutil.rmtree(jars, ignore_errors=True)
    staging.rename(jars)
    write_atomic(cache_dir / _MARKER, json.dumps({"artifacts": list(artifacts), "jars": found}))
    return [jars / name for name in found]


def tail(path: Path, lines: int = _LOG_TAIL) -> str:
    """The last lines of a log file, or a note that there is none."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines)).rstrip()
    except OSError:
        return f"(no log at {path})"


def write_atomic(path: Path, text: str) -> None:
    """Write through a ``.partial`` file renamed over ``path``: never half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (created if missing) for the ``with`` block."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
