// The third clock: when each document of a batch was loaded (UTC, to the second), in the
// transaction that wrote it; first_loaded_at keeps the first load across reloads.
UNWIND $ids AS id
MATCH (d:{{label}} {id: id})
SET d.loaded_at = datetime.truncate('second', datetime({timezone: 'UTC'})),
    d.first_loaded_at = coalesce(d.first_loaded_at, d.loaded_at)
