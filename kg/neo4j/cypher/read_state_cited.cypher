// What the loader wrote of some documents, in one row of [kg_hash ('' for a stub), id, [the
// property keys kg wrote], labels...]: the documents $scope.docs and the records whose
// evidence cites one of them.
CALL {
  UNWIND $scope.docs AS id
  MATCH (n:{{document}} {id: id})
  RETURN n
  UNION
  UNWIND $scope.docs AS id
  MATCH (:{{document}} {id: id})<-[:EVIDENCE]-(n)
  RETURN n
}
RETURN collect([coalesce(n.kg_hash, ''), n.id, coalesce(n.kg_keys, [])] + labels(n)) AS nodes
