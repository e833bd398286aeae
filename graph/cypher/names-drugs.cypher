// Every drug name in the graph, for "did you mean" suggestions.
MATCH (d:Drug)
RETURN d.name AS name
