// Upsert entities of one type; every entity also carries the Entity label. row.props holds
// null for each property kg wrote before and no longer has; properties kg does not own (such
// as centrality_* from 'kg centrality --write') are kept.
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
SET n += row.props, n:Entity
