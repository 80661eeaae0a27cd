// What the loader wrote: every relation (schema relationship types), its content hash and the
// documents of its evidence.
MATCH ()-[r]->()
WHERE type(r) IN $types
RETURN r.id AS id, type(r) AS type, r.kg_hash AS hash, r.evidence_document AS documents
