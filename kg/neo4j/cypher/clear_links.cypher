// Before a record's links are drawn again: delete those whose stable key is not in row.keep
// (the links it draws now). The links it keeps are left as they are.
UNWIND $rows AS row
MATCH (n:{{label}} {id: row.id})-[r]->()
WHERE type(r) IN $types AND NOT coalesce(r.key, '') IN row.keep
DELETE r
