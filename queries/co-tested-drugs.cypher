// name: co-tested-drugs
// theme: combinations and mechanisms
// description: Drugs given together with a drug in the same arm (not merely in the same
// trial, and not as its alternative: "durvalumab or pembrolizumab" are not co-tested), with how
// many arms and trials combine them. Placebo is not a drug, so never a partner. Observational
// studies are left out unless observational is true, as in combination-therapies.
// param: drug (drug, e.g. anlotinib) a drug: name, code name or brand; resolved to drug ids
// param: observational (flag, optional) true to include observational studies' cohorts
// column: drug the partner drug's preferred name
// column: arms number of arms giving both
// column: fixed_arms of those, the arms giving the drug to every participant, with the partner or one of its alternatives
// column: trials number of trials with such an arm
// column: nct_ids those trials
MATCH (d:Drug)
WHERE d.drug_id IN $drug
// Two MATCH clauses, not one pattern: one intervention may use both drugs ("Toripalimab combined
// with Lenvatinib", g1 = g2), and Neo4j never uses one relationship twice within a pattern.
MATCH (d)<-[u1:USES_DRUG]-(i1:Intervention)<-[g1:GIVES]-(a:Arm)
MATCH (a)-[g2:GIVES]->(i2:Intervention)-[u2:USES_DRUG]->(o:Drug)
WHERE NOT o.drug_id IN $drug
  AND CASE WHEN i1.intervention_id = i2.intervention_id
           THEN coalesce(u1.option_group, '-') <> coalesce(u2.option_group, '+')
           ELSE coalesce(g1.option_group, '-') <> coalesce(g2.option_group, '+') END
MATCH (t:Trial)-[:HAS_ARM]->(a)
WHERE $observational = true OR t.study_type IS NULL OR t.study_type <> 'OBSERVATIONAL'
WITH o, a, t, sum(CASE WHEN g1.option_group IS NULL AND u1.option_group IS NULL
                       AND NOT coalesce(g2.option_group, '') STARTS WITH 'optional'
                       AND NOT coalesce(u2.option_group, '') STARTS WITH 'optional' THEN 1 ELSE 0 END) AS fixed
ORDER BY t.nct_id
WITH o, count(DISTINCT a) AS arms, count(DISTINCT CASE WHEN fixed > 0 THEN a END) AS fixed_arms,
     collect(DISTINCT t.nct_id) AS nct_ids
RETURN o.name AS drug, arms, fixed_arms, size(nct_ids) AS trials, nct_ids
ORDER BY arms DESC, drug, o.drug_id
SKIP $skip LIMIT $limit
