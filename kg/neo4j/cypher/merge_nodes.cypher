// Upsert records of one label. row.props holds null for each property kg wrote before and no
// longer has, so a reload mirrors the current graph; properties kg does not own are kept.
// A record the database may hold (row.keep, a map) loses the links whose stable key is not a
// key of row.keep (the links it draws now; the others are left as they are): one lookup per
// link, so an entity quoted by n documents costs n, not n squared. In this statement, not one
// of its own: a first load runs (and plans) it, so a re-load has no statement more to plan.
// Returns (held) the records new to the database (row.keep null) that have a link all the
// same: a concurrent load wrote them after the plan read the database. Read once the node is
// written, so locked: the other load has committed. Their links are merged, not created.
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
SET n += row.props
WITH n, row
CALL (n, row) {
  WITH * WHERE row.keep IS NOT NULL
  MATCH (n)-[r]->()
  WHERE type(r) IN $types AND row.keep[coalesce(r.key, '')] IS NULL
  DELETE r
}
WITH n, row WHERE row.keep IS NULL AND EXISTS { (n)-->() }
RETURN collect(row.id) AS held
