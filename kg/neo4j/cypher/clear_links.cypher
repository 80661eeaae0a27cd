// Remove the links a record draws from its fields, before drawing them again.
UNWIND $ids AS id
MATCH (n:{{label}} {id: id})-[r]->()
WHERE type(r) IN $types
DELETE r
