// Each document's kg_digest (row.digest; null takes it away): set once everything the
// digest covers is written, taken away before any of it is rewritten.
UNWIND $batch.rows AS row
MATCH (d:{{label}} {id: row.id})
SET d.kg_digest = row.digest
