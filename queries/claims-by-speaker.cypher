// name: claims-by-speaker
// description: Claims grouped by who made them: stance, content, date, and the source that carried each.
// param: speaker search optional Id, name or alias of the speaker (all speakers when omitted), e.g. Borduzha
// example: kg query claims-by-speaker -p speaker=Borduzha
MATCH (c:Claim)-[:SPEAKER]->(s)
WHERE $speaker IS NULL OR s.id = $speaker OR $speaker IN s.search_names
OPTIONAL MATCH (c)-[:SOURCE]->(src)
OPTIONAL MATCH (src)-[:OUTLET]->(outlet)
RETURN s.name AS speaker, c.stance AS stance, c.content AS content, c.date AS date,
       coalesce(outlet.name, src.name) AS source, c.id AS id
ORDER BY speaker, c.date_start, c.id
