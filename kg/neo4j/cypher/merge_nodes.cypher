// Upsert records of one label. row.props holds null for each property kg wrote before and no
// longer has, so a reload mirrors the current graph; properties kg does not own are kept.
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
SET n += row.props
