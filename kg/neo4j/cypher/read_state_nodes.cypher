// What the loader wrote on nodes, in one row of [kg_hash ('' for a stub), id, [the property keys
// kg wrote] (null when $scope.every), [documents of its evidence] (null unless $sources),
// labels...]. When $scope.every, every node of the labels {{labels}} (their label indexes);
// else the documents $scope.docs, the records whose evidence cites one of them, the entities
// without evidence of the buckets $scope.buckets (their kg_doc, an index seek), and (when
// $scope.orphans: the database holds no bucket digests) every entity without evidence. One
// statement for both: a first load plans it, and the re-loads after it run that plan (the
// branch a $scope flag turns off reads nothing). In a map, not as parameters of their own:
// Neo4j keys its plan cache on the parameters' types (and a list's size class).
CALL {
  WITH $scope AS scope WHERE scope.every
  MATCH (n:{{labels}})
  RETURN n
  UNION ALL
  UNWIND $scope.docs AS id
  MATCH (n:{{document}} {id: id})
  RETURN n
  UNION ALL
  UNWIND $scope.docs AS id
  MATCH (:{{document}} {id: id})<-[:EVIDENCE]-(n)
  RETURN DISTINCT n
  UNION ALL
  WITH $scope AS scope WHERE scope.orphans AND NOT scope.every
  MATCH (n:{{entity}})
  WHERE NOT EXISTS { (n)-[:EVIDENCE]->() }
  RETURN n
  UNION ALL
  UNWIND $scope.buckets AS key
  MATCH (n:{{entity}} {kg_doc: key})
  RETURN n
}
RETURN collect([coalesce(n.kg_hash, ''), n.id,
                CASE WHEN $scope.every THEN null ELSE coalesce(n.kg_keys, []) END,
                CASE WHEN $sources THEN [(n)-[:EVIDENCE]->(d) | d.id] END] + labels(n)) AS nodes
