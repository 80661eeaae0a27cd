// Every document's kg_digest (null: none stamped), in one row: a re-load compares these with
// the graph's and reads the records of only the documents whose digest differs.
MATCH (d:{{label}})
RETURN collect([d.id, d.kg_digest]) AS digests
