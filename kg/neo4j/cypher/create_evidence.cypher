// Evidence: a link from a record to a document with the exact quote and its offsets, merged
// on its stable key (document, offsets, cited source). {{document}} is the schema's document
// type.
UNWIND $batch.rows AS row
MATCH (n:{{label}} {id: row.record})
MERGE (d:{{document}} {id: row.document})
MERGE (n)-[r:EVIDENCE {key: row.key}]->(d)
SET r += row.props
