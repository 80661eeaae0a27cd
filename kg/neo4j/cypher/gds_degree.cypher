CALL gds.degree.stream($graph, $config) YIELD nodeId, score RETURN nodeId, score
