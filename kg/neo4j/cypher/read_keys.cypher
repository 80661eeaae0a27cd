// The property keys kg wrote on the records it is about to rewrite (the ones it no longer
// writes are set to null, so a reload mirrors the graph).
UNWIND $batch.rows AS id
MATCH (n:{{label}} {id: id})
RETURN n.id AS id, n.kg_keys AS keys
