// name: who-accused-or-denied
// description: Who alleged or denied what, about whom: the claims with an accusing (alleges) or denying (denies) stance.
// param: subject search optional Only claims about this id, name or alias, e.g. Shayusupov
// example: kg query who-accused-or-denied
// example: kg query who-accused-or-denied -p subject=Kazakhstan
MATCH (c:Claim)-[:SPEAKER]->(s)
WHERE c.stance IN ['alleges', 'denies']
OPTIONAL MATCH (c)-[:ABOUT]->(a)
WITH c, s, collect(a) AS subjects
WHERE $subject IS NULL OR any(x IN subjects WHERE x.id = $subject OR $subject IN x.search_names)
RETURN s.name AS speaker, c.stance AS stance, c.content AS content,
       [x IN subjects | coalesce(x.name, x.title)] AS about, c.date AS date, c.id AS id
ORDER BY c.stance, speaker, c.id
