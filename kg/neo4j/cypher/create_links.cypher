// Draw links (PLACE, SPEAKER, ABOUT, SOURCE, OUTLET, PARTICIPANT...) from records. The target
// is MERGEd: a record of a document not loaded yet appears as a stub its own load fills in.
// $batch.new: links of records new to the database (their node statement, earlier in the
// transaction, found no link from them), created (a MERGE would expand every relationship
// between the two nodes first), by target: each record ($batch.records, a link names its
// position there) is found and each target merged once, not once per link. $batch.rows:
// links of records the database may hold, merged on their stable key. One statement for
// both: a first load plans the re-loads' branch too.
CALL {
  UNWIND $batch.records AS id
  OPTIONAL MATCH (n:{{label}} {id: id})
  WITH collect([n]) AS records
  UNWIND $batch.new AS target
  MERGE (t:{{target}} {id: target.id})
  WITH records, t, target
  UNWIND target.links AS link  // [position in records, key, props]
  WITH records[link[0]][0] AS n, t, link
  WHERE n IS NOT NULL
  CREATE (n)-[r:{{type}} {key: link[1]}]->(t)
  SET r += link[2]
}
CALL {
  UNWIND $batch.rows AS row
  MATCH (n:{{label}} {id: row.record})
  MERGE (t:{{target}} {id: row.target})
  MERGE (n)-[r:{{type}} {key: row.key}]->(t)
  SET r += row.props
}
