// Every node that carries a label of the schema, with its labels and properties.
MATCH (n)
WHERE any(l IN labels(n) WHERE l IN $labels)
RETURN labels(n) AS labels, properties(n) AS props
