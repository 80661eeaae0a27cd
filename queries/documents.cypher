// name: documents
// description: Loaded documents with their publication, date, load state and how many facts cite them.
// example: kg query documents
MATCH (d:Document)
OPTIONAL MATCH (f)-[:EVIDENCE]->(d)
RETURN d.id AS id, d.title AS title, d.meta_publication AS publication, d.date AS date,
       coalesce(d.load_state, 'pending') AS state, count(DISTINCT f) AS facts
ORDER BY d.date, d.id
