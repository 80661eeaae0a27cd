// Upsert records of one label. row.props holds null for each property kg wrote before and no
// longer has, so a reload mirrors the current graph; properties kg does not own are kept.
// The first SET locks the node, so its kg_hash is then the last committed load's: the ids
// returned are those of records the loader took for new (row.new) that a load has written
// after all (their links are merged, not created).
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
SET n.kg_keys = row.props.kg_keys
WITH n, row, n.kg_hash AS before
SET n += row.props
WITH row
WHERE row.new AND before IS NOT NULL
RETURN row.id
