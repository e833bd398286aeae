// Every condition name in the graph, for "did you mean" suggestions.
MATCH (c:Condition)
RETURN c.name AS name
