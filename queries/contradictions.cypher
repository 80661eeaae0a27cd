// name: contradictions
// description: Claims that contradict each other: a positive stance (asserts, alleges) against a denial, from different speakers, about the same proposition (see the comment in the file).
// example: kg query contradictions
// A positive claim P and a negative claim N (stance polarity from schema/vocabularies.yaml)
// by different speakers are paired when kg can tell they concern the same proposition:
//   same subjects:   P and N are about exactly the same records;
//   accused answers: N's speaker is a record P is about, and N is about nothing else or
//                    shares a record with P;
//   named in denial: N is about no record, and its content or a quote names (or aliases) a
//                    record P is about.
// Claims that merely share one subject are not paired: their propositions may agree (the
// seed's "links are aberrations" and the denials that there are camps all play links down).
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
