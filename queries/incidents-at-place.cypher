// name: incidents-at-place
// description: Incidents at a place or anywhere located within it (city in region in country).
// param: place search required Id, name or alias of a place or country, e.g. Kazakhstan
// example: kg query incidents-at-place -p place=Kazakhstan
MATCH (p:Entity) WHERE p.id = $place OR $place IN p.search_names
MATCH (inner)-[:LOCATED_IN*0..6]->(p)
MATCH (i:Incident)-[:PLACE]->(inner)
WITH DISTINCT i, inner
RETURN i.date AS date, i.kind AS kind, i.title AS title, inner.name AS at, i.id AS id
ORDER BY i.date_start IS NULL, i.date_start, i.id
