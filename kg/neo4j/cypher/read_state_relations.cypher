// What the loader wrote, of the relation types {{types}}, in one row: "<type> <kg_hash> <id>" per
// relation ('' for no hash), and (when $sources) [id, [documents of its evidence]]. When
// $scope.every, every relation of those types (their type indexes); else those whose kg_doc
// (the first graph document of their evidence, whose digest covers them; for none, their
// bucket ' <n>') is one of $scope.keys: one branch per type, each an index seek on that
// type's kg_doc (a pattern of several types gets only index scans). In a map, not as
// parameters of their own: Neo4j keys its plan cache on the types (and a list's size class)
// of the parameters, and a first load and the re-loads after it run this one plan.
CALL {
  WITH $scope AS scope WHERE scope.every
  MATCH ()-[r:{{types}}]->()
  RETURN r
{{#types}}
  UNION ALL
  UNWIND $scope.keys AS key
  MATCH ()-[r:{{types}} {kg_doc: key}]->()
  RETURN r
{{/types}}
}
RETURN collect(type(r) + ' ' + coalesce(r.kg_hash, '') + ' ' + r.id) AS hashes,
       collect(CASE WHEN $sources THEN [r.id, coalesce(r.evidence_document, [])] END) AS documents
