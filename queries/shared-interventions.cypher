// name: shared-interventions
// theme: landscape
// description: Drugs tested in trials of both conditions (each with every narrower one): for each
// drug, the trials giving it in the first condition and in the second. Placebo is not a drug.
// param: condition (condition, e.g. HCC) the first condition: name, synonym or abbreviation; resolved to it and every narrower condition
// param: other (condition, e.g. colorectal cancer) the second condition, resolved likewise
// column: drug the drug's preferred name
// column: drug_class the drug's class
// column: trials number of trials giving it in the first condition
// column: other_trials number of trials giving it in the second
// column: nct_ids the trials in the first condition
// column: other_nct_ids the trials in the second
MATCH (c:Condition)
WHERE c.condition_id IN $condition
MATCH (c)<-[:STUDIES]-(t:Trial)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH DISTINCT d, t
ORDER BY t.nct_id
WITH d, collect(t.nct_id) AS nct_ids
MATCH (c2:Condition)
WHERE c2.condition_id IN $other
MATCH (c2)<-[:STUDIES]-(t2:Trial)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d)
WITH DISTINCT d, nct_ids, t2
ORDER BY t2.nct_id
WITH d, nct_ids, collect(t2.nct_id) AS other_nct_ids
RETURN d.name AS drug, d.drug_class AS drug_class, size(nct_ids) AS trials, size(other_nct_ids) AS other_trials,
       nct_ids, other_nct_ids
ORDER BY trials + other_trials DESC, drug, d.drug_id
SKIP $skip LIMIT $limit
