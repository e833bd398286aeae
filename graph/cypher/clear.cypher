// Empty the graph: every node and relationship (the schema's indexes and constraints stay).
MATCH (n)
DETACH DELETE n
