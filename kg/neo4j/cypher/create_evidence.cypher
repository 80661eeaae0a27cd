// Evidence: a link from a record to a document with the exact quote and its offsets, keyed
// by (document, offsets, cited source). {{document}} is the schema's document type (MERGEd:
// an entity's evidence is written before its document). $batch.new: evidence of records new
// to the database, created; $batch.rows: of records it may hold, merged on the key (as in
// create_links).
CALL {
  UNWIND $batch.new AS row
  MATCH (n:{{label}} {id: row.record})
  MERGE (d:{{document}} {id: row.document})
  CREATE (n)-[r:EVIDENCE {key: row.key}]->(d)
  SET r += row.props
}
CALL {
  UNWIND $batch.rows AS row
  MATCH (n:{{label}} {id: row.record})
  MERGE (d:{{document}} {id: row.document})
  MERGE (n)-[r:EVIDENCE {key: row.key}]->(d)
  SET r += row.props
}
