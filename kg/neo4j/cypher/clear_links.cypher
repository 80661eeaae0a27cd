// Before a record's links are drawn again: delete those whose stable key is not a key of the
// map row.keep (the links it draws now). The links it keeps are left as they are. A map, not a
// list: one lookup per link, so an entity quoted by n documents costs n, not n squared.
UNWIND $batch.rows AS row
MATCH (n:{{label}} {id: row.id})-[r]->()
WHERE type(r) IN $types AND row.keep[coalesce(r.key, '')] IS NULL
DELETE r
