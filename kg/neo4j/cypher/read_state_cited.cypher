// What the loader wrote of some documents, in one row of [kg_hash ('' for a stub), id, [the
// property keys kg wrote], labels...]: the documents $scope.docs, the records whose evidence
// cites one of them, and the entities without evidence (the first document's digest covers
// them: the loader reads them whenever it reads any document).
CALL {
  UNWIND $scope.docs AS id
  MATCH (n:{{document}} {id: id})
  RETURN n
  UNION
  UNWIND $scope.docs AS id
  MATCH (:{{document}} {id: id})<-[:EVIDENCE]-(n)
  RETURN n
  UNION
  MATCH (n:{{entity}})
  WHERE NOT EXISTS { (n)-[:EVIDENCE]->() }
  RETURN n
}
RETURN collect([coalesce(n.kg_hash, ''), n.id, coalesce(n.kg_keys, [])] + labels(n)) AS nodes
