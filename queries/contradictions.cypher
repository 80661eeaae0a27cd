// name: contradictions
// description: Claims that contradict each other: a positive stance (asserts, alleges) and a negative one (denies) from different speakers about the same proposition, which kg recognises as (same subjects) both claims are about exactly the same records, or (accused answers) the denial's speaker is one of the records the positive claim is about and the denial is about nothing else, or shares a record with it, or (named in denial) a denial about no record names, in its content or quotes, a record the positive claim is about. Claims that merely share one subject are not paired: their propositions may agree.
// example: kg query contradictions
MATCH (p:Claim {polarity: 'positive'})-[:SPEAKER]->(ps)
MATCH (n:Claim {polarity: 'negative'})-[:SPEAKER]->(ns)
WHERE ps <> ns
OPTIONAL MATCH (p)-[:ABOUT]->(pa)
WITH p, ps, n, ns, collect(DISTINCT pa) AS p_about
OPTIONAL MATCH (n)-[:ABOUT]->(na)
WITH p, ps, n, ns, p_about, collect(DISTINCT na) AS n_about
OPTIONAL MATCH (n)-[ev:EVIDENCE]->(:Document)
WITH p, ps, n, ns, p_about, n_about,
     toLower(n.content + ' ' + reduce(t = '', q IN collect(ev.quote) | t + ' ' + q)) AS n_text
WITH p, ps, n, ns, p_about, n_about,
     [x IN p_about WHERE x IN n_about] AS shared,
     [x IN p_about WHERE size(n_about) = 0
        AND any(name IN [coalesce(x.name, x.title)] + coalesce(x.aliases, [])
                WHERE n_text CONTAINS toLower(name))]
       AS named
WITH p, ps, n, ns, shared, named,
     CASE
       WHEN size(p_about) > 0 AND size(shared) = size(p_about) AND size(shared) = size(n_about)
         THEN 'same subjects'
       WHEN ns IN p_about AND (size(n_about) = 0 OR size(shared) > 0) THEN 'accused answers'
       WHEN size(named) > 0 THEN 'named in denial'
     END AS reason
WHERE reason IS NOT NULL
RETURN CASE reason
         WHEN 'accused answers' THEN ns.name
         WHEN 'named in denial' THEN reduce(t = '', x IN named | t + CASE t WHEN '' THEN '' ELSE ', ' END + coalesce(x.name, x.title))
         ELSE reduce(t = '', x IN shared | t + CASE t WHEN '' THEN '' ELSE ', ' END + coalesce(x.name, x.title))
       END AS subject,
       ps.name AS says, p.content AS claim, ns.name AS denies, n.content AS denial, reason,
       p.id AS claim_id, n.id AS denial_id
ORDER BY subject, claim_id, denial_id
