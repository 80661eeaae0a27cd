// name: incidents-timeline
// description: All incidents in date order, with kind, CAMEO code, place, participants and roles; undated incidents last.
// param: since date optional Earliest day an incident may end on: 2004-08-01, or 2004-08 (from its first day), or 2004
// param: until date_end optional Latest day an incident may start on: 2004-08-31, or 2004-08 (to its last day), or 2004
// example: kg query incidents-timeline
// example: kg query incidents-timeline -p since=2004-08-01 -p until=2004-08-31
// example: kg query incidents-timeline -p since=2004-08
MATCH (i:Incident)
WHERE ($since IS NULL OR i.date_end >= $since)
  AND ($until IS NULL OR i.date_start <= $until)
  AND (($since IS NULL AND $until IS NULL) OR i.date IS NOT NULL)
OPTIONAL MATCH (i)-[:PLACE]->(p)
OPTIONAL MATCH (i)-[r:PARTICIPANT]->(e)
WITH i, p, e, r ORDER BY e.name
WITH i, p, collect(CASE WHEN e IS NULL THEN NULL ELSE e.name + ' (' + r.role + ')' END) AS participants
RETURN i.date AS date, i.date_precision AS precision, i.kind AS kind, i.cameo AS cameo,
       i.title AS title, p.name AS place, participants, i.id AS id
ORDER BY i.date_start IS NULL, i.date_start, i.date_end, i.id
