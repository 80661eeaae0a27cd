// Upsert records of one label. row.props holds null for each property kg wrote before and no
// longer has, so a reload mirrors the current graph; properties kg does not own are kept.
// A record the database may hold (row.keep, a map) loses the links whose stable key is not a
// key of row.keep (the links it draws now; the others are left as they are): one lookup per
// link, so an entity quoted by n documents costs n, not n squared. In this statement, not one
// of its own: a first load runs (and plans) it, so a re-load has no statement more to plan.
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
SET n += row.props
WITH n, row
WHERE row.keep IS NOT NULL
MATCH (n)-[r]->()
WHERE type(r) IN $types AND row.keep[coalesce(r.key, '')] IS NULL
DELETE r
