CALL gds.betweenness.stream($graph, $config) YIELD nodeId, score RETURN nodeId, score
