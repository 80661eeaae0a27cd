// Upsert entities of one type; every entity also carries the Entity label. row.props holds
// null for each property kg wrote before and no longer has; properties kg does not own (such
// as centrality_* from 'kg centrality --write') are kept. Links not kept go, and the new
// records that have a link all the same are returned (held), as in merge_nodes.
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
SET n += row.props, n:Entity
WITH n, row
CALL (n, row) {
  WITH * WHERE row.keep IS NOT NULL
  MATCH (n)-[r]->()
  WHERE type(r) IN $types AND row.keep[coalesce(r.key, '')] IS NULL
  DELETE r
}
WITH n, row WHERE row.keep IS NULL AND EXISTS { (n)-->() }
RETURN collect(row.id) AS held
