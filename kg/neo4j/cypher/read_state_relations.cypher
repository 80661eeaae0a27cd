// What the loader wrote, one relation type at a time (the type index, not a scan of every
// link and evidence), in one row: "<kg_hash> <id>" per relation, and (when $sources)
// [id, [documents of its evidence]]. With $docs, only the relations whose evidence cites one
// of those documents, and those without evidence.
MATCH ()-[r:{{type}}]->()
WHERE $docs IS NULL OR coalesce(r.evidence_document, []) = []
      OR any(d IN r.evidence_document WHERE d IN $docs)
RETURN collect(coalesce(r.kg_hash, '') + ' ' + r.id) AS hashes,
       collect(CASE WHEN $sources THEN [r.id, coalesce(r.evidence_document, [])] END) AS documents
