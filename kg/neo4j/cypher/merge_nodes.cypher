// Upsert records of one label. row.props holds null for each property kg wrote before and no
// longer has, so a reload mirrors the current graph; properties kg does not own are kept.
// taken: records the plan found new to the database (row.fresh) that another load has
// written since (they have a hash): their links, about to be CREATEd, must be MERGEd instead.
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
WITH n, row, row.fresh AND n.kg_hash IS NOT NULL AS taken
SET n += row.props
RETURN count(CASE WHEN taken THEN 1 END) AS taken
