// Project kg's own (networkx) projection into GDS as an undirected graph: node i of the
// projection is GDS node i; an isolated node comes as a row without a target.
UNWIND $rows AS row
WITH gds.graph.project(
  $graph, row.source, row.target,
  {relationshipProperties: CASE WHEN row.target IS NULL THEN null
                                ELSE {weight: row.weight, distance: row.distance} END},
  {undirectedRelationshipTypes: ['*']}
) AS projected
RETURN projected.nodeCount AS nodes, projected.relationshipCount AS relationships
