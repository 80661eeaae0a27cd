// What the loader wrote, of every relation type at once (one pattern of them all: the type index
// of each, not a scan of every link and evidence), in one row: "<type> <kg_hash> <id>" per
// relation ('' for no hash), and (when $sources) [id, [documents of its evidence]]. Unless
// $scope.every, only the relations whose evidence cites one of the documents $scope.docs, and
// (when $scope.orphans) those without evidence. In a map, not as parameters of their own:
// Neo4j keys its plan cache on the types (and a list's size class) of the parameters, and a
// first load and the re-loads after it run this one plan.
MATCH ()-[r:{{types}}]->()
WHERE $scope.every OR ($scope.orphans AND coalesce(r.evidence_document, []) = [])
      OR any(d IN r.evidence_document WHERE d IN $scope.docs)
RETURN collect(type(r) + ' ' + coalesce(r.kg_hash, '') + ' ' + r.id) AS hashes,
       collect(CASE WHEN $sources THEN [r.id, coalesce(r.evidence_document, [])] END) AS documents
