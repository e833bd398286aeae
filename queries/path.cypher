// name: path
// theme: connections
// description: How two entities are connected: the shortest paths (up to 6 steps, up to 10
// paths) between a trial, drug, target, target family, condition or sponsor and another,
// e.g. from a drug to a condition through the trials that give it.
// param: from (entity, e.g. penpulimab) an NCT id, drug, target, family, condition or sponsor
// param: to (entity, e.g. HCC) an NCT id, drug, target, family, condition or sponsor
// column: length the number of steps
// column: nodes the nodes along the path, each as a map: label, and caption (its name, label, NCT id, symbol or facility)
// column: relationships the relationship types along the path
OPTIONAL MATCH (a1:Trial {nct_id: $from.nct_id})
OPTIONAL MATCH (a2:Drug {drug_id: $from.drug_id})
OPTIONAL MATCH (a3:Target {symbol: $from.symbol})
OPTIONAL MATCH (a4:TargetFamily {family_id: $from.family_id})
OPTIONAL MATCH (a5:Condition {condition_id: $from.condition_id})
OPTIONAL MATCH (a6:Sponsor {sponsor_id: $from.sponsor_id})
WITH coalesce(a1, a2, a3, a4, a5, a6) AS a
OPTIONAL MATCH (b1:Trial {nct_id: $to.nct_id})
OPTIONAL MATCH (b2:Drug {drug_id: $to.drug_id})
OPTIONAL MATCH (b3:Target {symbol: $to.symbol})
OPTIONAL MATCH (b4:TargetFamily {family_id: $to.family_id})
OPTIONAL MATCH (b5:Condition {condition_id: $to.condition_id})
OPTIONAL MATCH (b6:Sponsor {sponsor_id: $to.sponsor_id})
WITH a, coalesce(b1, b2, b3, b4, b5, b6) AS b
WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
MATCH p = allShortestPaths((a)-[*..6]-(b))
WITH p, [n IN nodes(p) | {label: labels(n)[0], caption: coalesce(n.name, n.label, n.nct_id, n.symbol, n.facility)}] AS steps,
     [r IN relationships(p) | type(r)] AS rels
// the order: by length, then by the nodes' labels and captions and the relationships, as text
WITH length(p) AS length, steps, rels,
     reduce(s = '', x IN steps | s + x.label + ': ' + coalesce(x.caption, '?') + '|') + reduce(s = '', x IN rels | s + x + '|') AS key
ORDER BY length, key
LIMIT 10
RETURN length, steps AS nodes, rels AS relationships
ORDER BY length, key
SKIP $skip LIMIT $limit
