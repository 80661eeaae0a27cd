"""Connecting to Neo4j: settings, one clear error for an unreachable server or bad credentials."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
)

from kg.errors import Neo4jError as KgNeo4jError
from kg.errors import Neo4jUnavailable, QueryError

__all__ = ["DEFAULT_URI", "Neo4jSettings", "connect", "database_errors", "session"]

DEFAULT_URI = "bolt://127.0.0.1:7687"

# The driver logs each retry and broken connection as a warning. With no handler configured,
# Python would print them on stderr (logging.lastResort), burying the one-line KgError that
# follows; a NullHandler silences only that fallback: handlers an application configures
# (e.g. logging.basicConfig) still receive every record.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
_HINT = (
    "start a server with 'kg neo4j start' (or 'docker compose up -d') and set NEO4J_URI,"
    " NEO4J_USERNAME and NEO4J_PASSWORD"
)


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect. The password never appears in ``repr`` or messages."""

    uri: str = DEFAULT_URI
    username: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    timeout: float = 10.0
    """Seconds to wait for a connection, and to keep retrying a transaction that failed
    transiently (a deadlock, a lost connection), before giving up with a KgError."""

    def describe(self) -> str:
        """``uri`` (database, user): for messages; never includes the password."""
        db = self.database or "default database"
        return f"{self.uri} ({db}, user {self.username})"


def _cause(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200].rstrip(" :")


@contextlib.contextmanager
def database_errors(settings: Neo4jSettings) -> Iterator[None]:
    """Turn driver exceptions into kg errors: one line with the URI, the cause and a hint."""
    try:
        yield
    except AuthError as exc:
        raise Neo4jUnavailable(
            f"Neo4j at {settings.uri} refused the credentials of user {settings.username!r}"
            f" ({_cause(exc)}); check NEO4J_USERNAME and NEO4J_PASSWORD"
        ) from None
    except (ServiceUnavailable, OSError) as exc:
        raise Neo4jUnavailable(
            f"cannot reach Neo4j at {settings.uri}: {_cause(exc)}; {_HINT}"
        ) from None
    except ConfigurationError as exc:
        raise KgNeo4jError(f"bad Neo4j settings for {settings.uri}: {_cause(exc)}") from None
    except ClientError as exc:
        message = f"Neo4j refused the request: {exc.code}: {_cause(exc)}"
        if (exc.code or "").startswith("Neo.ClientError.Statement."):
            raise QueryError(message) from None  # bad Cypher (syntax, types...): bad input
        raise KgNeo4jError(message) from None
    except (Neo4jError, DriverError) as exc:
        raise KgNeo4jError(f"Neo4j error at {settings.uri}: {_cause(exc)}") from None


def connect(settings: Neo4jSettings) -> Driver:
    """A driver whose connectivity and credentials have been checked, or Neo4jUnavailable."""
    if settings.password is None:
        raise Neo4jUnavailable(
            f"no password for Neo4j at {settings.uri}: set NEO4J_PASSWORD (or use 'kg neo4j start',"
            " which stores one for its local server)"
        )
    options: dict[str, Any] = {
        "auth": (settings.username, settings.password),
        "connection_timeout": min(settings.timeout, 5.0),
        "connection_acquisition_timeout": settings.timeout,
        # A server that dies in the middle of a load fails the command within about
        # ``timeout`` seconds, as one that is down from the start does (the default is 30 s).
        "max_transaction_retry_time": settings.timeout,
        "user_agent": "kg",
    }
    with database_errors(settings):
        try:
            driver = GraphDatabase.driver(settings.uri, **options)
        except ValueError as exc:  # a URI the driver cannot parse
            raise KgNeo4jError(f"bad Neo4j URI {settings.uri!r}: {_cause(exc)}") from None
        try:
            driver.verify_connectivity()
        except ValueError as exc:  # the driver's "Cannot resolve address": an unknown host
            driver.close()
            raise Neo4jUnavailable(
                f"cannot reach Neo4j at {settings.uri}: {_cause(exc)}; check the host name"
            ) from None
        except BaseException:
            driver.close()
            raise
    return driver


def session(driver: Driver, settings: Neo4jSettings, *, write: bool = False) -> neo4j.Session:
    """A session on the configured database, in read or write access mode."""
    mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
    return driver.session(database=settings.database, default_access_mode=mode)
