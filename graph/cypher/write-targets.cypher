// Upsert the reference targets and their families (from ontology/data/targets.toml).
// $families: [{family_id, props}]; $targets: [{symbol, props, families: [family_id]}]
// Idempotent: MERGE on natural keys, properties replaced as a whole.
UNWIND $families AS f
MERGE (fam:TargetFamily {family_id: f.family_id})
SET fam = f.props
WITH count(*) AS families_written
UNWIND $targets AS t
MERGE (tg:Target {symbol: t.symbol})
SET tg = t.props
WITH tg, t
OPTIONAL MATCH (tg)-[old:MEMBER_OF]->(:TargetFamily)
DELETE old
WITH DISTINCT tg, t
UNWIND t.families AS fid
MATCH (fam:TargetFamily {family_id: fid})
MERGE (tg)-[:MEMBER_OF]->(fam)
RETURN count(*) AS memberships
