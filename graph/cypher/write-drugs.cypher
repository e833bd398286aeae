// Upsert the reference drugs and what they act on (from ontology/data/drugs.toml).
// $drugs: [{drug_id, props, acts_on: [{symbol, action, sources}]}]; targets must exist.
// A drug's ACTS_ON links are replaced as a whole, so a corrected mechanism does not linger.
UNWIND $drugs AS d
MERGE (dr:Drug {drug_id: d.drug_id})
SET dr = d.props
WITH dr, d
OPTIONAL MATCH (dr)-[old:ACTS_ON]->(:Target)
DELETE old
WITH DISTINCT dr, d
UNWIND d.acts_on AS a
MATCH (tg:Target {symbol: a.symbol})
MERGE (dr)-[r:ACTS_ON]->(tg)
SET r.action = a.action, r.sources = a.sources
RETURN count(r) AS mechanisms
