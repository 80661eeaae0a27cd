// What the loader wrote, one label at a time (the label index, not a scan of every node), in
// one row: "<kg_hash> <id>" per node ('' for a stub), and (when $sources) [id, [documents its
// evidence comes from]]. One row of lists is many times faster to stream than a row per node.
MATCH (n:{{label}})
RETURN collect(coalesce(n.kg_hash, '') + ' ' + n.id) AS hashes,
       collect(CASE WHEN $sources THEN [n.id, [(n)-[:EVIDENCE]->(d) | d.id]] END) AS documents
