// Delete records the graph no longer has, with their links.
UNWIND $batch.rows AS id
MATCH (n:{{label}} {id: id})
DETACH DELETE n
