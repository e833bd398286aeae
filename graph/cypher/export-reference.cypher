// The reference entities for the RDF / networkx export: drugs with what they act on and what they
// are indicated for (INDICATED_FOR, with the condition's properties), targets with their
// families, and target families; one row each, tagged by kind.
MATCH (d:Drug)
OPTIONAL MATCH (d)-[a:ACTS_ON]->(tg:Target)
WITH d, a, tg
ORDER BY tg.symbol
WITH d, collect(CASE WHEN tg IS NULL THEN null ELSE {symbol: tg.symbol, action: a.action, sources: a.sources} END) AS acts_on
OPTIONAL MATCH (d)-[i:INDICATED_FOR]->(c:Condition)
WITH d, acts_on, i, c
ORDER BY c.condition_id
WITH d, acts_on,
     collect(CASE WHEN c IS NULL THEN null
             ELSE {condition_id: c.condition_id, props: properties(c), max_phase: i.max_phase, source: i.source} END) AS indications
RETURN 'drug' AS kind, d.drug_id AS id, properties(d) AS props, acts_on, [] AS families, indications
UNION ALL
MATCH (t:Target)
OPTIONAL MATCH (t)-[:MEMBER_OF]->(f:TargetFamily)
WITH t, f
ORDER BY f.family_id
WITH t, collect(f.family_id) AS families
RETURN 'target' AS kind, t.symbol AS id, properties(t) AS props, [] AS acts_on, families, [] AS indications
UNION ALL
MATCH (f:TargetFamily)
RETURN 'family' AS kind, f.family_id AS id, properties(f) AS props, [] AS acts_on, [] AS families, [] AS indications
