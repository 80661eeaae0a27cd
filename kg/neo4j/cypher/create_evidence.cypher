// Evidence: a link from a record to a document with the exact quote and its offsets, keyed
// by (document, offsets, cited source). {{document}} is the schema's document type (MERGEd:
// an entity's evidence is written before its document). $batch.new: evidence of records new
// to the database, created, by document: each record ($batch.records, a row names its
// position there) is found and each document merged once (as in create_links). $batch.rows:
// of records it may hold, merged on the key.
CALL {
  UNWIND $batch.records AS id
  OPTIONAL MATCH (n:{{label}} {id: id})
  WITH collect([n]) AS records
  UNWIND $batch.new AS target
  MERGE (d:{{document}} {id: target.id})
  WITH records, d, target
  UNWIND target.links AS link  // [position in records, key, props]
  WITH records[link[0]][0] AS n, d, link
  WHERE n IS NOT NULL
  CREATE (n)-[r:EVIDENCE {key: link[1]}]->(d)
  SET r += link[2]
}
CALL {
  UNWIND $batch.rows AS row
  MATCH (n:{{label}} {id: row.record})
  MERGE (d:{{document}} {id: row.document})
  MERGE (n)-[r:EVIDENCE {key: row.key}]->(d)
  SET r += row.props
}
