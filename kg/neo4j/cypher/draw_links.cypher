// Draw the links of records new to the database (they have none yet): created, not merged
// (one write each, where a merge looks at every link of the record first). The target is
// MERGEd: a record of a document not loaded yet appears as a stub its own load fills in.
UNWIND $batch.rows AS row
MATCH (n:{{label}} {id: row.record})
MERGE (t:{{target}} {id: row.target})
CREATE (n)-[r:{{type}}]->(t)
SET r = row.props, r.key = row.key
