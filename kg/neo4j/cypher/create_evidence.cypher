// Evidence: a link from a record to a document with the exact quote and its offsets.
UNWIND $rows AS row
MATCH (n:{{label}} {id: row.record})
MERGE (d:Document {id: row.document})
CREATE (n)-[r:EVIDENCE]->(d)
SET r = row.props
