// The evidence of records new to the database: created, not merged (see draw_links).
UNWIND $batch.rows AS row
MATCH (n:{{label}} {id: row.record})
MERGE (d:{{document}} {id: row.document})
CREATE (n)-[r:EVIDENCE]->(d)
SET r = row.props, r.key = row.key
