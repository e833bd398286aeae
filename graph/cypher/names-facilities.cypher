// Every real (non-placeholder) site facility name in the graph, for "did you mean" suggestions.
MATCH (s:Site)
WHERE NOT coalesce(s.placeholder, false)
RETURN DISTINCT s.facility AS name
