// The entities without evidence, as read_state_cited gives records: a re-load reads them when
// their digest (the second part of the first document's kg_digest) differs.
MATCH (n:{{entity}})
WHERE NOT EXISTS { (n)-[:EVIDENCE]->() }
RETURN collect([coalesce(n.kg_hash, ''), n.id, coalesce(n.kg_keys, [])] + labels(n)) AS nodes
