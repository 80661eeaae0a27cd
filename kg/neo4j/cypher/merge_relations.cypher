// Upsert relations of one type between two labels, keyed by the relation id.
UNWIND $batch.rows AS row
MATCH (a:{{source}} {id: row.source})
MERGE (b:{{target}} {id: row.target})
MERGE (a)-[r:{{type}} {id: row.id}]->(b)
SET r = row.props
