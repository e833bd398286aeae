// name: repurposing
// theme: landscape
// description: Drugs indicated for one condition (an indication of the reference data, with the
// highest clinical phase reached for it, ChEMBL's max_phase: 4 is approved) that trials test in
// another condition (each condition with every narrower one): candidates for repurposing, and
// the evidence that someone is already trying.
// param: indication (condition, e.g. thyroid cancer) the condition the drugs are indicated for; resolved to it and every narrower condition
// param: condition (condition, e.g. HCC) the condition they are tested in, resolved likewise
// column: drug the drug's preferred name
// column: drug_class the drug's class
// column: indicated_for the indications matched, by name
// column: max_phase the highest phase reached for those indications
// column: sources where the indication comes from
// column: trials number of trials giving the drug in the condition
// column: nct_ids those trials
// column: phases the phases of those trials
MATCH (ci:Condition)
WHERE ci.condition_id IN $indication
MATCH (d:Drug)-[ind:INDICATED_FOR]->(ci)
WITH d, collect(DISTINCT ci.name) AS indicated_for, max(ind.max_phase) AS max_phase, collect(DISTINCT ind.source) AS sources
MATCH (c:Condition)
WHERE c.condition_id IN $condition
MATCH (c)<-[:STUDIES]-(t:Trial)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d)
WITH DISTINCT d, indicated_for, max_phase, sources, t
ORDER BY t.nct_id
UNWIND CASE WHEN size(coalesce(t.phases, [])) = 0 THEN [null] ELSE t.phases END AS phase
WITH d, indicated_for, max_phase, sources, collect(DISTINCT t.nct_id) AS nct_ids, collect(DISTINCT phase) AS phases
RETURN d.name AS drug, d.drug_class AS drug_class, indicated_for, max_phase, sources, size(nct_ids) AS trials, nct_ids,
       phases
ORDER BY max_phase DESC, trials DESC, drug, d.drug_id
SKIP $skip LIMIT $limit
