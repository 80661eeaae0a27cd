// What of kg's schema the database has, in one statement: the labels whose nodes have a
// uniqueness constraint on id (the index it owns), and the relationship types and labels with
// kg's range index on kg_doc (a re-load creates no other).
SHOW INDEXES YIELD labelsOrTypes, properties, type, entityType, owningConstraint
WHERE type = 'RANGE' AND ((entityType = 'NODE' AND properties = ['id'] AND owningConstraint IS NOT NULL)
      OR properties = ['kg_doc'])
RETURN entityType = 'NODE' AS node, labelsOrTypes[0] AS name, properties[0] AS property
