// name: claims-about
// description: Everything said about an entity or incident: speaker, stance, content, date and source.
// param: subject search required Id, name or alias, e.g. Kazakhstan
// example: kg query claims-about -p subject=Karimov
MATCH (c:Claim)-[:ABOUT]->(x)
WHERE x.id = $subject OR $subject IN x.search_names
MATCH (c)-[:SPEAKER]->(s)
OPTIONAL MATCH (c)-[:SOURCE]->(src)
RETURN s.name AS speaker, c.stance AS stance, c.content AS content, c.date AS date,
       src.name AS source, c.id AS id
ORDER BY c.date_start, c.id
