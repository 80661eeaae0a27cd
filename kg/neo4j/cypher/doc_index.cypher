// A range index on the relations' kg_doc of one type: a re-load reads the relations of the
// documents whose digest differs by it (read_state_relations), not every relation.
CREATE INDEX IF NOT EXISTS FOR ()-[r:{{type}}]-() ON (r.kg_doc)
