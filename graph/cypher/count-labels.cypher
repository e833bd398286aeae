// Node counts per label (every node carries exactly one label of graph/schema.py).
MATCH (n)
RETURN labels(n)[0] AS label, count(*) AS count
ORDER BY label
