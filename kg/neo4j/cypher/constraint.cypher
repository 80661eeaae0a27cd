// Uniqueness of record ids per label (this also creates the index MERGE uses).
CREATE CONSTRAINT IF NOT EXISTS FOR (n:{{label}}) REQUIRE n.id IS UNIQUE
