// The third clock: when each document of a batch was (last) loaded, UTC to the second, set
// in the transaction that wrote the document.
UNWIND $batch.rows AS id
MATCH (d:{{label}} {id: id})
SET d.loaded_at = datetime.truncate('second', datetime({timezone: 'Z'}))
