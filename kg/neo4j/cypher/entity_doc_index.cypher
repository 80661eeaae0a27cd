// A range index on the entities' kg_doc (set only on a record of no document: its bucket): a
// re-load reads the entities of no document of the buckets whose digest differs by it
// (read_state_nodes), not every entity without evidence.
CREATE INDEX IF NOT EXISTS FOR (n:{{label}}) ON (n.kg_doc)
