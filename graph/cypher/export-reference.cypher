// The reference entities for the RDF / networkx export: drugs with what they act on, targets
// with their families, and target families; one row each, tagged by kind.
MATCH (d:Drug)
OPTIONAL MATCH (d)-[a:ACTS_ON]->(tg:Target)
WITH d, a, tg
ORDER BY tg.symbol
WITH d, collect(CASE WHEN tg IS NULL THEN null ELSE {symbol: tg.symbol, action: a.action, sources: a.sources} END) AS acts_on
RETURN 'drug' AS kind, d.drug_id AS id, properties(d) AS props, acts_on, [] AS families
UNION ALL
MATCH (t:Target)
OPTIONAL MATCH (t)-[:MEMBER_OF]->(f:TargetFamily)
WITH t, f
ORDER BY f.family_id
WITH t, collect(f.family_id) AS families
RETURN 'target' AS kind, t.symbol AS id, properties(t) AS props, [] AS acts_on, families
UNION ALL
MATCH (f:TargetFamily)
RETURN 'family' AS kind, f.family_id AS id, properties(f) AS props, [] AS acts_on, [] AS families
