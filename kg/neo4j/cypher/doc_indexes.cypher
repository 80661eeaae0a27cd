// The relationship types that already have kg's range index on kg_doc (a re-load creates no other).
SHOW INDEXES YIELD labelsOrTypes, properties, type, entityType
WHERE type = 'RANGE' AND entityType = 'RELATIONSHIP' AND properties = ['kg_doc']
RETURN labelsOrTypes[0] AS type
