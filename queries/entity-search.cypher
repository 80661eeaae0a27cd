// name: entity-search
// description: Find entities by any part of a name or alias, case- and accent-insensitive.
// param: q search required Text to look for, e.g. bordyuzha, khabar, Nazarbáyev
// example: kg query entity-search -p q=bordyuzha
MATCH (e:Entity)
WHERE any(n IN e.search_names WHERE n CONTAINS $q)
RETURN e.id AS id, labels(e)[0] AS type, e.name AS name, e.aliases AS aliases, e.kind AS kind
ORDER BY size(e.name), e.name
