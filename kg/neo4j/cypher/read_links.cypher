// Every relationship of the given types, by the ids of its ends.
MATCH (a)-[r]->(b)
WHERE type(r) IN $types
RETURN a.id AS source, type(r) AS type, properties(r) AS props, b.id AS target
