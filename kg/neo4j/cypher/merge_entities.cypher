// Upsert entities of one type; every entity also carries the Entity label.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
SET n = row.props, n:Entity
