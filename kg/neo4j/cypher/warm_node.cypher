// One node of {{label}} that the loader wrote, with its properties: kg.neo4j.warm sets them
// again, in a transaction it rolls back.
MATCH (n:{{label}})
WHERE n.kg_hash IS NOT NULL
RETURN n.id AS id, properties(n) AS props
LIMIT 1
