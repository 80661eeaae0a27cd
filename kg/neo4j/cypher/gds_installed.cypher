// How many Graph Data Science procedures the server has (0: GDS is not installed).
SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' RETURN count(name) AS procedures
