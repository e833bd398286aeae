// name: landscape
// theme: landscape
// description: The competitive landscape of a condition (and narrower ones): every drug tested
// in it, with its targets, the highest phase reached by a trial giving it, and how many trials
// give it. Highest phase first, then most trials.
// param: condition (condition, e.g. HCC) a condition: name, synonym or abbreviation; resolved to it and every narrower condition
// column: drug the drug's preferred name
// column: drug_class the drug's class
// column: targets the targets the drug acts on
// column: highest_phase the highest phase of a trial giving the drug in the condition
// column: trials number of trials giving the drug in the condition
// column: nct_ids those trials
MATCH (c:Condition)
WHERE c.condition_id IN $condition
MATCH (c)<-[:STUDIES]-(t:Trial)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH DISTINCT d, t
UNWIND CASE WHEN size(coalesce(t.phases, [])) = 0 THEN [''] ELSE t.phases END AS phase
WITH d, t, max(phase) AS trial_phase
ORDER BY t.nct_id
WITH d, max(trial_phase) AS highest_phase, count(t) AS trials, collect(t.nct_id) AS nct_ids
OPTIONAL MATCH (d)-[:ACTS_ON]->(tg:Target)
WITH d, highest_phase, trials, nct_ids, tg
ORDER BY tg.symbol
WITH d, highest_phase, trials, nct_ids, collect(tg.symbol) AS targets
RETURN d.name AS drug, d.drug_class AS drug_class, targets,
       CASE WHEN highest_phase = '' THEN null ELSE highest_phase END AS highest_phase, trials, nct_ids
ORDER BY highest_phase DESC, trials DESC, drug, d.drug_id
SKIP $skip LIMIT $limit
