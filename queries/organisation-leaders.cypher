// name: organisation-leaders
// description: Who holds which post in which organisation or state, with the quote that says so.
// param: organisation search optional Id, name or alias of the organisation or country, e.g. CSO
// example: kg query organisation-leaders
// example: kg query organisation-leaders -p organisation=CSO
MATCH (p:Person)-[r:HOLDS_POST]->(o)
WHERE $organisation IS NULL OR o.id = $organisation OR $organisation IN o.search_names
RETURN o.name AS organisation, r.title AS post, p.name AS person,
       coalesce(r.evidence_quote[0], r.note) AS evidence
ORDER BY organisation, person
