// Neo4j only: wait until every index (those behind the constraints too) is online.
CALL db.awaitIndexes(300)
