CALL gds.closeness.stream($graph, $config) YIELD nodeId, score RETURN nodeId, score
