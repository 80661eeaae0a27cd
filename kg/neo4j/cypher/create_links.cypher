// Draw links (PLACE, SPEAKER, ABOUT, SOURCE, OUTLET, PARTICIPANT...) from a record, merged on
// their stable key. The target is MERGEd: a record of a document not loaded yet appears as a
// stub its own load fills in.
UNWIND $batch.rows AS row
MATCH (n:{{label}} {id: row.record})
MERGE (t:{{target}} {id: row.target})
MERGE (n)-[r:{{type}} {key: row.key}]->(t)
SET r += row.props
