// What the loader wrote: every node with a schema label, its content hash, the property keys
// kg wrote, and (when $sources) the documents its evidence comes from.
MATCH (n)
WHERE any(l IN labels(n) WHERE l IN $labels)
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label, n.kg_hash AS hash,
       n.kg_keys AS keys,
       CASE WHEN $sources THEN [(n)-[:EVIDENCE]->(d) | d.id] ELSE [] END AS documents
