// name: co-tested-drugs
// description: Drugs given together with a drug in the same arm (not merely in the same
// trial), with how many arms and trials combine them. Placebo is not a drug, so never a partner.
// param: drug (drug, e.g. anlotinib) a drug: name, code name or brand; resolved to drug ids
// column: drug the partner drug's preferred name
// column: arms number of arms giving both
// column: trials number of trials with such an arm
// column: nct_ids those trials
MATCH (d:Drug)
WHERE d.drug_id IN $drug
// Two MATCH clauses, not one pattern: one intervention may use both drugs ("Toripalimab combined
// with Lenvatinib"), and Neo4j never uses one relationship twice within a pattern.
MATCH (d)<-[:USES_DRUG]-(:Intervention)<-[:GIVES]-(a:Arm)
MATCH (a)-[:GIVES]->(:Intervention)-[:USES_DRUG]->(o:Drug)
WHERE NOT o.drug_id IN $drug
MATCH (t:Trial)-[:HAS_ARM]->(a)
WITH DISTINCT o, a, t
ORDER BY t.nct_id
WITH o, count(DISTINCT a) AS arms, collect(DISTINCT t.nct_id) AS nct_ids
RETURN o.name AS drug, arms, size(nct_ids) AS trials, nct_ids
ORDER BY arms DESC, drug
