// name: co-participants
// description: Pairs of actors that took part in the same incidents, with the incidents and their roles.
// param: actor search optional Only pairs that include this id, name or alias, e.g. Shayusupov
// example: kg query co-participants
// example: kg query co-participants -p actor=Uzbekistan
MATCH (a:Entity)<-[ra:PARTICIPANT]-(i:Incident)-[rb:PARTICIPANT]->(b:Entity)
WHERE a.id < b.id
  AND ($actor IS NULL OR a.id = $actor OR b.id = $actor OR $actor IN a.search_names
       OR $actor IN b.search_names)
WITH a, b, collect(i.title + ' (' + ra.role + ' / ' + rb.role + ')') AS incidents
RETURN a.name AS actor, b.name AS other, size(incidents) AS shared, incidents
ORDER BY shared DESC, actor, other
