// Links of records new to the database (create_links without the look-up of the link: the
// record has none yet). Should another load have written the record meanwhile, the node
// statement says so and the batch is written again with create_links.
UNWIND $batch.rows AS row
MATCH (n:{{label}} {id: row.record})
MERGE (t:{{target}} {id: row.target})
CREATE (n)-[r:{{type}} {key: row.key}]->(t)
SET r += row.props
