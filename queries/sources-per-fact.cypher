// name: sources-per-fact
// description: Corroboration: for every incident, claim and relation, how many sources support it: the documents it is drawn from plus the outlets those documents cite for it (e.g. "Liter, August 6"), with the quotes.
// param: minimum int optional default=1 Only facts with at least this many sources (documents + cited outlets)
// example: kg query sources-per-fact
// example: kg query sources-per-fact -p minimum=2
CALL () {
  MATCH (f)-[ev:EVIDENCE]->(d:Document) WHERE f:Incident OR f:Claim
  RETURN labels(f)[0] AS kind, coalesce(f.title, f.content) AS fact, f.id AS id,
         count(DISTINCT d) AS documents, count(ev) AS quotes,
         count(DISTINCT ev.source) AS cited_sources
  UNION
  MATCH (a)-[r]->(b) WHERE r.evidence_document IS NOT NULL
  RETURN 'relation' AS kind, a.name + ' ' + toLower(type(r)) + ' ' + coalesce(b.name, b.title) AS fact,
         r.id AS id,
         size(reduce(seen = [], x IN r.evidence_document |
              CASE WHEN x IN seen THEN seen ELSE seen + x END)) AS documents,
         size(r.evidence_quote) AS quotes,
         size(reduce(seen = [], x IN [s IN r.evidence_source WHERE s <> ''] |
              CASE WHEN x IN seen THEN seen ELSE seen + x END)) AS cited_sources
}
WITH *, documents + cited_sources AS sources WHERE documents + cited_sources >= $minimum
RETURN kind, fact, sources, documents, cited_sources, quotes, id
ORDER BY sources DESC, documents DESC, quotes DESC, id
