// The labels that already have kg's uniqueness constraint on id (a re-load creates no other).
SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type, entityType
WHERE type = 'UNIQUENESS' AND entityType = 'NODE' AND properties = ['id']
RETURN labelsOrTypes[0] AS label
