// The names kg_keys lists on the records kg is about to rewrite: the schema's properties and a
// document's metadata it wrote (those it no longer writes are set to null, so a reload
// mirrors the graph; the names every node of a kind has are nulled without being listed).
UNWIND $batch.rows AS id
MATCH (n:{{label}} {id: id})
RETURN n.id AS id, n.kg_keys AS keys
