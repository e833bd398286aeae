// Empty the graph, one batch of nodes at a time (each batch its own statement and transaction,
// so a registry-size graph never needs one huge transaction): every node and relationship goes,
// the schema's indexes and constraints stay. The caller repeats it until fewer than $batch
// nodes were deleted (Gateway.clear).
// $batch: nodes per statement
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
