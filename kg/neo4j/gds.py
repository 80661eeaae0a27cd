"""Install the Graph Data Science library (GDS) from Maven Central into the local server."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from kg.errors import ServerError
from kg.neo4j.maven import artifact_id, group_id, resolve_artifacts

__all__ = ["EXTENSION_JAR", "GDS_VERSION", "install_gds", "installed_gds"]

GDS_VERSION = "2.13.9"
"""The newest GDS release on Maven Central whose compatibility covers Neo4j 5.26 (see
docs/neo4j.md): built against the 5.26 kernel, with the server's own library versions."""

EXTENSION_JAR = "kg-open-gds-extension.jar"
_EXTENSION_CLASS = "kg.gds.KgOpenGdsExtension"
_SERVICE = "META-INF/services/org.neo4j.kernel.extension.ExtensionFactory"


def installed_gds(state_dir: Path) -> bool:
    """Whether ``install_gds`` put GDS into the server's plugins folder."""
    return (state_dir.expanduser() / "plugins" / EXTENSION_JAR).is_file()


def install_gds(
    state_dir: Path,
    cache_dir: Path,
    server_jars: Sequence[Path],
    *,
    mvn: str = "mvn",
    javac: str = "javac",
) -> list[Path]:
    """Copy GDS ``GDS_VERSION`` and its libraries into ``state_dir/plugins``; return them.

    Maven Central carries the GDS modules but not the kernel extension of the packaged
    plugin jar, so a small one (``kg/neo4j/java``) is compiled once with ``javac`` and
    cached beside the jars in ``cache_dir``. Libraries the server already has are left out.
    The server loads the plugins on its next start.
    """
    cache = cache_dir.expanduser().resolve() / f"gds-{GDS_VERSION}"
    jars = resolve_artifacts(cache, [f"org.neo4j.gds:proc:{GDS_VERSION}"], mvn=mvn)
    on_server = {(group_id(jar), artifact_id(jar)) for jar in server_jars}
    wanted = [jar for jar in jars if (group_id(jar), artifact_id(jar)) not in on_server]
    extension = cache / EXTENSION_JAR
    if not extension.is_file():
        _compile_extension(extension, [*server_jars, *wanted], javac)
    plugins = state_dir.expanduser().resolve() / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    installed = []
    for jar in [*wanted, extension]:
        target = plugins / jar.name
        if not target.is_file() or target.stat().st_size != jar.stat().st_size:
            shutil.copyfile(jar, target.with_name(target.name + ".partial"))
            target.with_name(target.name + ".partial").replace(target)
        installed.append(target)
    return installed


def _compile_extension(target: Path, classpath: Sequence[Path], javac: str) -> None:
    compiler = shutil.which(javac)
    if compiler is None:
        raise ServerError(
            f"installing GDS needs a Java compiler ({javac!r} not found); "
            "install a JDK (apt-get install default-jdk-headless)"
        )
    source = resources.files("kg.neo4j").joinpath("java").joinpath("KgOpenGdsExtension.java")
    with tempfile.TemporaryDirectory(prefix="kg-gds-") as work:
        folder = Path(work)
        java = folder / "KgOpenGdsExtension.java"
        java.write_text(source.read_text("utf-8"), encoding="utf-8")
        classes = folder / "classes"
        command = [compiler, "-nowarn", "-d", str(classes), "-cp"]
        command += [os.pathsep.join(str(jar) for jar in classpath), str(java)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
        if done.returncode != 0:
            raise ServerError(f"compiling the GDS extension failed:\n{done.stderr.strip()}")
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as jar:
            jar.writestr(_SERVICE, _EXTENSION_CLASS + "\n")
            for path in sorted(classes.rglob("*.class")):
                jar.write(path, path.relative_to(classes).as_posix())
        partial.replace(target)
