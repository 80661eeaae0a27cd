// Upsert records of one label; SET n = props makes a reload mirror the current graph.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
SET n = row.props
