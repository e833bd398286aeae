"""The graph: its model (schema), the gateway to Neo4j or the local server, and the writer."""
