// name: contradictions
// description: Claims about the same subject with opposite stances (a positive stance such as asserts or alleges against denies).
// example: kg query contradictions
MATCH (c1:Claim)-[:ABOUT]->(x)<-[:ABOUT]-(c2:Claim)
WHERE c1.polarity = 'positive' AND c2.polarity = 'negative'
MATCH (c1)-[:SPEAKER]->(s1)
MATCH (c2)-[:SPEAKER]->(s2)
RETURN coalesce(x.name, x.title) AS subject, s1.name AS says, c1.content AS claim,
       s2.name AS denies, c2.content AS denial, c1.id AS claim_id, c2.id AS denial_id
ORDER BY subject, claim_id, denial_id
