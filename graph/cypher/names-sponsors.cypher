// Every sponsor name in the graph, for "did you mean" suggestions.
MATCH (s:Sponsor)
RETURN s.name AS name
