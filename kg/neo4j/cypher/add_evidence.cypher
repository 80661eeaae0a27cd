// Evidence of records new to the database (create_evidence without the look-up of the link:
// the record has none yet; see add_links).
UNWIND $batch.rows AS row
MATCH (n:{{label}} {id: row.record})
MERGE (d:{{document}} {id: row.document})
CREATE (n)-[r:EVIDENCE {key: row.key}]->(d)
SET r += row.props
