// name: shortest-path
// description: The shortest chain of facts between two actors (ignoring which document mentions them).
// param: source search required Id, name or alias of the first actor, e.g. Karimov
// param: target search required Id, name or alias of the second actor, e.g. Dariga Nazarbayeva
// example: kg query shortest-path -p source=Karimov -p target=KNB
MATCH (a:Entity) WHERE a.id = $source OR $source IN a.search_names
MATCH (b:Entity) WHERE b.id = $target OR $target IN b.search_names
MATCH path = shortestPath((a)-[*..8]-(b))
WHERE none(r IN relationships(path) WHERE type(r) = 'EVIDENCE')
RETURN length(path) AS hops,
       [n IN nodes(path) | coalesce(n.name, n.title, n.content)] AS chain,
       [r IN relationships(path) | type(r)] AS links
