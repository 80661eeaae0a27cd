// name: actor-network
// description: An actor's neighbourhood up to a depth (1-3): the entities, incidents and claims linked to it, with the path that links them.
// param: actor search required Id, name or alias of the actor, e.g. KNB
// param: depth int optional default=2 range=1..3 How many steps to follow (1 to 3; the path search is bounded)
// example: kg query actor-network -p actor=KNB -p depth=1
MATCH (a:Entity)
WHERE a.id = $actor OR $actor IN a.search_names
MATCH path = (a)-[*1..3]-(n)
WHERE length(path) <= $depth
  AND none(x IN nodes(path) WHERE x:Document)
  AND none(r IN relationships(path) WHERE type(r) = 'EVIDENCE')
WITH a, n, min(length(path)) AS distance,
     collect(DISTINCT [r IN relationships(path) | type(r)])[0] AS via
RETURN a.name AS actor, distance, labels(n)[0] AS type, coalesce(n.name, n.title, n.content) AS name,
       via, n.id AS id
ORDER BY distance, type, name
