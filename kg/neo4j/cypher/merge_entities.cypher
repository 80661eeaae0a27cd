// Upsert entities of one type; every entity also carries the Entity label. row.props holds
// null for each property kg wrote before and no longer has; properties kg does not own (such
// as centrality_* from 'kg centrality --write') are kept. taken: as in merge_nodes.
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
WITH n, row, row.fresh AND n.kg_hash IS NOT NULL AS taken
SET n += row.props, n:Entity
RETURN count(CASE WHEN taken THEN 1 END) AS taken
