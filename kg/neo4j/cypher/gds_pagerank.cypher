CALL gds.pageRank.stream($graph, $config) YIELD nodeId, score RETURN nodeId, score
