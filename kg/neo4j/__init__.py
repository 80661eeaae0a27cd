"""Neo4j for kg: connect, load, read and query, and run a local Community server."""
