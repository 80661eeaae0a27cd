// Delete relations the graph no longer has.
MATCH ()-[r:{{type}}]->()
WHERE r.id IN $batch.rows
DELETE r
