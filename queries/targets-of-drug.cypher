// name: targets-of-drug
// theme: combinations and mechanisms
// description: The targets a drug acts on, with the action type, its source, and the target
// families each target belongs to.
// param: drug (drug, e.g. anlotinib) a drug: name, code name or brand (AL3818, Nexavar); resolved to drug ids
// column: drug the drug's preferred name
// column: target the target's gene symbol
// column: target_name the target's name
// column: action the action type
// column: families target families the target belongs to
// column: sources where the mechanism is stated
MATCH (d:Drug)-[a:ACTS_ON]->(tg:Target)
WHERE d.drug_id IN $drug
OPTIONAL MATCH (tg)-[:MEMBER_OF]->(f:TargetFamily)
WITH d, a, tg, f
ORDER BY f.family_id
WITH d, a, tg, collect(f.family_id) AS families
RETURN d.name AS drug, tg.symbol AS target, tg.name AS target_name, a.action AS action, families,
       a.sources AS sources
ORDER BY drug, d.drug_id, target
SKIP $skip LIMIT $limit
