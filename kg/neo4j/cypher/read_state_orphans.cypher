// The entities without evidence, as read_state_cited gives records: the first document's
// digest covers them, so a re-load reads them when it reads that document.
MATCH (n:{{entity}})
WHERE NOT EXISTS { (n)-[:EVIDENCE]->() }
RETURN collect([coalesce(n.kg_hash, ''), n.id, coalesce(n.kg_keys, [])] + labels(n)) AS nodes
