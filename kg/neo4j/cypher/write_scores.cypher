// Centrality scores as node properties (kg centrality --write): row.scores maps
// centrality_<measure> names to numbers.
UNWIND $rows AS row
MATCH (n:{{label}} {id: row.id})
SET n += row.scores
RETURN count(n) AS written
