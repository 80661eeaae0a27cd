"""Run a local Neo4j Community server from its Maven Central artifacts, without Docker."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from kg.errors import ServerError
from kg.neo4j.maven import locked, resolve_artifacts, tail, write_atomic

__all__ = [
    "ADMIN_TOOL",
    "BROWSER_VERSION",
    "ENTRY_POINT",
    "JVM_OPTIONS",
    "NEO4J_VERSION",
    "USERNAME",
    "ServerInfo",
    "ServerStatus",
    "memory_settings",
    "read_password",
    "resolve_distribution",
    "start",
    "status",
    "stop",
]

NEO4J_VERSION = "5.26.31"  # newest 5.26.x (LTS) that Maven Central resolves with its dependencies
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
BROWSER_VERSION = "5.24.0"  # org.neo4j.client:neo4j-browser, served at /browser/
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USERNAME = "neo4j"
_MIB = 1 << 20


def memory_settings(total: int | None = None) -> tuple[str, str, str]:
    """(initial heap, maximum heap, page cache) for a machine with ``total`` bytes of memory
    (default: this machine's): an eighth of it each, from 512 MiB up to 4 GiB, leaving the
    rest to the other programs of a workstation. Measured in bench/RESULTS.md (Neo4j load).
    The young generation is a share of the heap as it grows (at least 40%, ``JVM_OPTIONS``),
    so several servers side by side (the tests) each stay as small as their work.

    >>> memory_settings(8 << 30), memory_settings(2 << 30), memory_settings(64 << 30)
    (('512m', '1024m', '1024m'), ('512m', '512m', '512m'), ('512m', '4096m', '4096m'))
    """
    if total is None:
        try:
            total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError):
            total = 8 << 30
    share = min(max(total // 8 // _MIB, 512), 4096)
    return "512m", f"{share}m", f"{share}m"


# The 5.26 launcher (Bootloader) adds -Dfile.encoding and the heap flags to the JVM options of
# the stock neo4j.conf; the --add-opens set is ConfigFileMigrator.recommendedJvmAdditionals().
# Two are kg's own: G1 keeps at least 40% of the heap young (G1NewSizePercent, experimental:
# after the unlock) and aims at 1 s pauses, not 200 ms. A load's transaction state lives until
# its batch commits; with the default goal on a busy machine G1 shrank the young generation to
# 100-150 MiB and copied that state 23-24 times per load of 92,579 rows (4.6-5.4 s of pauses);
# with these, 4-8 collections and 0.8-2.6 s (bench/RESULTS.md, Throughput, sixth round). It
# sizes nothing up front: the heap still grows from -Xms as it needs (memory_settings).
JVM_OPTIONS: tuple[str, ...] = (
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:G1NewSizePercent=40", "-XX:MaxGCPauseMillis=1000",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
)  # fmt: skip

_VERSION_RE = re.compile(r"\d+\.\d+\.\d+")
_SUBDIRS = ("conf", "data", "logs", "run", "import", "plugins")
_CONF_FILE, _PID_FILE, _LOCK_FILE = "conf/neo4j.conf", "run/neo4j.pid", "run/kg.lock"
_CONSOLE_LOG, _USER_LOG, _PASSWORD_FILE = "logs/console.log", "logs/neo4j.log", "password"
_MIN_PASSWORD_LENGTH = 8  # dbms.security.auth_minimum_password_length default
_LOG_TAIL = 30
_FULLY_FLEDGED = b"\x06"  # org.neo4j.server.startup.Environment.FULLY_FLEDGED
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}  # servers started by this Python process

_CONF = """# Written by kg (kg.neo4j.server) on every start; edits are overwritten.
# Relative paths resolve against the home directory, {home}
server.directories.data=data
server.directories.logs=logs
server.directories.run=run
server.directories.import=import
server.directories.plugins=plugins
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{bolt_port}
server.bolt.advertised_address=127.0.0.1:{bolt_port}
server.http.enabled=true
server.http.listen_address=127.0.0.1:{http_port}
server.http.advertised_address=127.0.0.1:{http_port}
server.https.enabled=false
dbms.routing.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
# Graph Data Science (kg neo4j start --gds) needs low-level access; only gds.* gets it.
dbms.security.procedures.unrestricted=gds.*
server.memory.heap.initial_size={heap_initial}
server.memory.heap.max_size={heap_max}
server.memory.pagecache.size={pagecache}
# Small transaction-log files: the default preallocates 256 MiB per database.
db.tx_log.rotation.size=32M
# Unsupported setting: the Bolt thread pools wait 5 s twice on shutdown by default.
internal.dbms.bolt.netty_server_shutdown_quiet_period=1
"""


@dataclass(frozen=True)
class ServerInfo:
    """A running local server: where to connect, and where its password and logs are."""

    uri: str
    username: str
    password_file: Path | None
    pid: int
    state_dir: Path
    log_file: Path
    http_uri: str
    console_log: Path


@dataclass(frozen=True)
class ServerStatus:
    """What ``status`` found in a state folder; the URIs are None before the first start."""

    running: bool
    pid: int | None
    uri: str | None
    http_uri: str | None
    username: str
    password_file: Path | None
    state_dir: Path
    log_file: Path
    console_log: Path


def resolve_distribution(
    cache_dir: Path,
    version: str = NEO4J_VERSION,
    *,
    mvn: str = "mvn",
    maven_repo: Path | None = None,
    timeout: float = 1800.0,
) -> list[Path]:
    """Resolve ``org.neo4j:neo4j:VERSION`` and the Neo4j Browser with their runtime jars.

    ``cache_dir`` holds one version (e.g. ``~/.cache/kg/neo4j/5.26.31``); see
    ``kg.neo4j.maven.resolve_artifacts`` for the cache and ``maven_repo``.
    """
    if not _VERSION_RE.fullmatch(version):
        raise ServerError(f"not a Neo4j version: {version!r} (expected e.g. {NEO4J_VERSION})")
    artifacts = [f"org.neo4j:neo4j:{version}", f"org.neo4j.client:neo4j-browser:{BROWSER_VERSION}"]
    return resolve_artifacts(cache_dir, artifacts, mvn=mvn, maven_repo=maven_repo, timeout=timeout)


def start(
    state_dir: Path,
    cache_dir: Path,
    *,
    password: str | None,
    bolt_port: int = 7687,
    http_port: int = 7474,
    timeout: float = 180,
    version: str = NEO4J_VERSION,
    java: str = "java",
    mvn: str = "mvn",
) -> ServerInfo:
    """Start Neo4j on 127.0.0.1 with its home in ``state_dir``; return once Bolt answers.

    ``timeout`` bounds the wait for the server to answer (resolving the jars comes first).
    With ``password=None`` a password is generated on the first start and kept in
    ``state_dir/password`` (mode 0600); a given password is used as is and not stored.
    A server already running from ``state_dir`` is returned as it is, on its own ports.
    """
    state_dir = state_dir.expanduser().resolve()
    try:
        for sub in _SUBDIRS:
            (state_dir / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServerError(f"cannot create the server folders under {state_dir}: {exc}") from exc
    with locked(state_dir / _LOCK_FILE):
        pid, ports = _server_pid(state_dir), _configured_ports(state_dir)
        if pid is not None:
            if ports is None:
                raise ServerError(f"Neo4j runs (pid {pid}); {state_dir / _CONF_FILE} is unusable")
            secret = password if password is not None else read_password(state_dir)
            _wait_until_ready(state_dir, pid, ports, secret, time.monotonic() + timeout)
            return _info(state_dir, pid, ports, password)
        ports = (bolt_port, http_port)
        if bolt_port == http_port:
            raise ServerError(f"bolt_port and http_port must differ (both are {bolt_port})")
        for name, port in (("bolt_port", bolt_port), ("http_port", http_port)):
            _check_port_free(name, port)
        jars = resolve_distribution(cache_dir, version, mvn=mvn)
        java_path = shutil.which(java)
        if java_path is None:
            raise ServerError(f"Java ({java!r}) not found; Neo4j {version} needs Java 17 or 21")
        heap_initial, heap_max, pagecache = memory_settings()
        write_atomic(state_dir / _CONF_FILE, _CONF.format(
            home=state_dir, bolt_port=bolt_port, http_port=http_port,
            heap_initial=heap_initial, heap_max=heap_max, pagecache=pagecache,
        ))  # fmt: skip
        plugins = sorted((state_dir / "plugins").glob("*.jar"))  # first, as bin/neo4j does
        classpath = os.pathsep.join(str(jar) for jar in [*plugins, *jars])
        secret = _set_initial_password(state_dir, password, java_path, classpath)
        command = [java_path, f"-Xms{heap_initial}", f"-Xmx{heap_max}", *JVM_OPTIONS, "-cp"]
        command += [classpath, ENTRY_POINT, "--home-dir", str(state_dir)]
        command += ["--config-dir", str(state_dir / "conf")]
        with (state_dir / _CONSOLE_LOG).open("ab") as out:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            out.write(f"[kg] {stamp} starting Neo4j {version}\n".encode())
            out.flush()
            offset = out.tell()
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=state_dir, start_new_session=True,
            )  # fmt: skip
        _CHILDREN[process.pid] = process
        (state_dir / _PID_FILE).write_text(f"{process.pid}\n", encoding="ascii")
        try:
            deadline = time.monotonic() + timeout
            _wait_until_ready(state_dir, process.pid, ports, secret, deadline, offset)
        except BaseException:
            _terminate(process.pid, grace=10.0)
            (state_dir / _PID_FILE).unlink(missing_ok=True)
            raise
        return _info(state_dir, process.pid, ports, password)


def stop(state_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop the server recorded in ``state_dir/run/neo4j.pid``; False if none was running.

    Only a live ``CommunityEntryPoint`` java process whose home is ``state_dir`` is signalled
    (SIGTERM, then SIGKILL after ``timeout`` seconds); a stale pid file is just removed.
    """
    state_dir = state_dir.expanduser().resolve()
    pid = _server_pid(state_dir)
    if pid is not None:
        _terminate(pid, grace=timeout)
    (state_dir / _PID_FILE).unlink(missing_ok=True)
    return pid is not None


def status(state_dir: Path) -> ServerStatus:
    """Report whether the server of ``state_dir`` runs, and where to reach it (no network)."""
    state_dir = state_dir.expanduser().resolve()
    pid = _server_pid(state_dir)
    ports = _configured_ports(state_dir)
    password_file = state_dir / _PASSWORD_FILE
    return ServerStatus(
        running=pid is not None,
        pid=pid,
        uri=None if ports is None else f"bolt://127.0.0.1:{ports[0]}",
        http_uri=None if ports is None else f"http://127.0.0.1:{ports[1]}",
        username=USERNAME,
        password_file=password_file if password_file.is_file() else None,
        state_dir=state_dir,
        log_file=state_dir / _USER_LOG,
        console_log=state_dir / _CONSOLE_LOG,
    )


def read_password(state_dir: Path) -> str | None:
    """The generated password kept in ``state_dir/password``, or None if there is none."""
    try:
        text = (state_dir.expanduser() / _PASSWORD_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ServerError(f"cannot read the Neo4j password file: {exc}") from exc
    return text or None


def _info(state_dir: Path, pid: int, ports: tuple[int, int], password: str | None) -> ServerInfo:
    password_file = state_dir / _PASSWORD_FILE
    return ServerInfo(
        uri=f"bolt://127.0.0.1:{ports[0]}",
        username=USERNAME,
        password_file=password_file if password is None and password_file.is_file() else None,
        pid=pid,
        state_dir=state_dir,
        log_file=state_dir / _USER_LOG,
        http_uri=f"http://127.0.0.1:{ports[1]}",
        console_log=state_dir / _CONSOLE_LOG,
    )


def _configured_ports(state_dir: Path) -> tuple[int, int] | None:
    try:
        text = (state_dir / _CONF_FILE).read_text(encoding="utf-8")
    except OSError:
        return None
    found = dict(re.findall(r"^server\.(bolt|http)\.listen_address=.*:(\d+)\s*$", text, re.M))
    return (int(found["bolt"]), int(found["http"])) if len(found) == 2 else None


def _check_port_free(name: str, port: int) -> None:
    if not 0 < port < 65536:
        raise ServerError(f"{name} {port} is not a TCP port number")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise ServerError(
                f"port {port} on 127.0.0.1 ({name}) is already in use by another program; "
                f"stop that program or choose another {name}"
            ) from exc


def _set_initial_password(
    state_dir: Path, password: str | None, java: str, classpath: str
) -> str | None:
    """Before the first start, set the initial password; return the one to connect with."""
    password_file = state_dir / _PASSWORD_FILE
    if (state_dir / "data" / "databases" / "system").exists():
        # An earlier start created the system database and consumed data/dbms/auth.ini.
        return password if password is not None else read_password(state_dir)
    if password is None:
        password = read_password(state_dir) or secrets.token_urlsafe(24)
        if not password_file.is_file():
            _write_secret(password_file, password)
    else:
        password_file.unlink(missing_ok=True)  # a stale generated one would mislead
    if len(password) < _MIN_PASSWORD_LENGTH or any(ord(c) < 32 for c in password):
        raise ServerError(
            f"the Neo4j password needs at least {_MIN_PASSWORD_LENGTH} characters "
            "and no control characters"
        )
    # picocli expands "@file" arguments: the password stays out of process listings. The
    # file holds `-- "password"` ("--" ends the options, so a leading "-" is fine).
    argfile = state_dir / "run" / f"initial-password.{os.getpid()}.args"
    _write_secret(argfile, '-- "' + password.replace("\\", "\\\\").replace('"', '\\"') + '"\n')
    env = dict(os.environ, NEO4J_HOME=str(state_dir), NEO4J_CONF=str(state_dir / "conf"))
    command = [java, "-Xmx256m", "-Dfile.encoding=UTF-8", "-cp", classpath, ADMIN_TOOL]
    command += ["dbms", "set-initial-password", f"@{argfile}"]
    try:
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
            cwd=state_dir, timeout=120, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise ServerError("neo4j-admin dbms set-initial-password did not finish in 120 s") from exc
    finally:
        argfile.unlink(missing_ok=True)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).replace(password, "********")
        last = "\n".join(output.strip().splitlines()[-_LOG_TAIL:])
        raise ServerError(f"setting the initial Neo4j password failed:\n{last}")
    return password


def _wait_until_ready(
    state_dir: Path,
    pid: int,
    ports: tuple[int, int],
    password: str | None,
    deadline: float,
    console_offset: int | None = None,
) -> None:
    """Wait until Bolt accepts a login and, after a launch, the server says it has started.

    In daemon mode NeoBootstrapper prints FULLY_FLEDGED (ASCII ACK) on stderr once every
    connector is up; the ``neo4j start`` launcher waits for the same byte.
    """
    uri = f"bolt://127.0.0.1:{ports[0]}"
    while True:
        if not _is_alive(pid):
            raise ServerError(f"Neo4j (pid {pid}) exited while starting:\n{_logs_tail(state_dir)}")
        try:
            auth = (USERNAME, password or "")
            with GraphDatabase.driver(uri, auth=auth, connection_timeout=3) as driver:
                driver.verify_connectivity()
            bolt_ready = True
        except AuthError as exc:
            if password is not None:
                raise ServerError(
                    f"Neo4j at {uri} refuses the password; the initial password only applies "
                    f"before the first start (remove {state_dir / 'data'} to start afresh)"
                ) from exc
            bolt_ready = True  # it answers; the caller just does not know the password
        except (DriverError, Neo4jError, OSError):
            bolt_ready = False
        if bolt_ready and (console_offset is None or _started(state_dir, console_offset)):
            return
        if time.monotonic() >= deadline:
            raise ServerError(f"Neo4j did not answer on {uri} in time:\n{_logs_tail(state_dir)}")
        time.sleep(0.5)


def _started(state_dir: Path, offset: int) -> bool:
    with (state_dir / _CONSOLE_LOG).open("rb") as console:
        console.seek(offset)
        return _FULLY_FLEDGED in console.read()


def _server_pid(state_dir: Path) -> int | None:
    """The recorded pid if it is alive and is our server for ``state_dir``, else None."""
    try:
        pid = int((state_dir / _PID_FILE).read_text(encoding="ascii").strip())
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    home = os.fsencode(state_dir)
    ours = ENTRY_POINT.encode() in args and any(
        flag == b"--home-dir" and value == home for flag, value in itertools.pairwise(args)
    )
    return pid if ours and _is_alive(pid) else None


def _is_alive(pid: int) -> bool:
    """True while /proc shows the process and it is not a zombie; reaps our own children."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        alive = stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except OSError:
        alive = False
    child = _CHILDREN.get(pid)
    if child is not None and not alive:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)
        del _CHILDREN[pid]
    return alive


def _terminate(pid: int, grace: float) -> None:
    """SIGTERM, wait up to ``grace`` seconds, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        end = time.monotonic() + wait
        while time.monotonic() < end:
            if not _is_alive(pid):
                return
            time.sleep(0.2)
    raise ServerError(f"Neo4j (pid {pid}) did not stop, even after SIGKILL")


def _logs_tail(state_dir: Path) -> str:
    parts = [
        f"--- {path} ---\n{tail(path)}"
        for path in (state_dir / _CONSOLE_LOG, state_dir / _USER_LOG)
        if path.is_file() and path.stat().st_size
    ]
    return "\n".join(parts) or f"(nothing logged under {state_dir / 'logs'})"


def _write_secret(path: Path, text: str) -> None:
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
