// name: provenance
// description: Every quote, document and cited source behind an entity's facts: its mentions, incidents, claims and relations.
// param: entity search required Id, name or alias, e.g. Borduzha
// example: kg query provenance -p entity=Borduzha
MATCH (e:Entity) WHERE e.id = $entity OR $entity IN e.search_names
CALL (e) {
  MATCH (e)-[ev:EVIDENCE]->(d:Document)
  RETURN 'mention' AS fact, e.name AS about, d, ev.quote AS quote, ev.start AS start, ev.source AS cited
  UNION
  MATCH (f)-[link]->(e) WHERE f:Incident OR f:Claim
  MATCH (f)-[ev:EVIDENCE]->(d:Document)
  RETURN labels(f)[0] + ' ' + type(link) AS fact, coalesce(f.title, f.content) AS about, d,
         ev.quote AS quote, ev.start AS start, ev.source AS cited
  UNION
  MATCH (e)-[r]-(other:Entity) WHERE r.evidence_quote IS NOT NULL
  UNWIND range(0, size(r.evidence_quote) - 1) AS k
  MATCH (d:Document {id: r.evidence_document[k]})
  RETURN 'relation ' + type(r) AS fact, other.name AS about, d, r.evidence_quote[k] AS quote,
         r.evidence_start[k] AS start, r.evidence_source[k] AS cited
}
OPTIONAL MATCH (src:Source {id: cited})
RETURN fact, about, quote, d.title AS document, start AS offset, src.name AS cited_source
ORDER BY document, offset, fact
