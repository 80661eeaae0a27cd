// name: documents
// description: Loaded documents: publication, date published, when kg last loaded them (loaded_at, UTC), load state and how many facts cite them.
// example: kg query documents
MATCH (d:Document)
OPTIONAL MATCH (f)-[:EVIDENCE]->(d)
RETURN d.id AS id, d.title AS title, d.meta_publication AS publication, d.date AS date,
       toString(d.loaded_at) AS loaded_at, coalesce(d.load_state, 'pending') AS state,
       count(DISTINCT f) AS facts
ORDER BY d.date, d.id
