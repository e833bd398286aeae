// name: drugs-for-target
// theme: combinations and mechanisms
// description: Drugs acting on a target or on any member of a target family, with the action
// type and its source, and how many trials in the graph give each drug.
// param: target (target, e.g. VEGFR) a target or family: symbol, alias or name (PD-L1, CD274, VEGFR2, VEGFR); resolved to target symbols
// column: drug the drug's preferred name
// column: modality small molecule, antibody, ...
// column: drug_class the drug's class
// column: target the target the drug acts on
// column: action the action type (inhibitor, blocking antibody, ...)
// column: sources where the mechanism is stated
// column: trials number of trials in the graph giving the drug
MATCH (tg:Target)<-[a:ACTS_ON]-(d:Drug)
WHERE tg.symbol IN $target
OPTIONAL MATCH (d)<-[:USES_DRUG]-(:Intervention)<-[:HAS_INTERVENTION]-(t:Trial)
WITH d, tg, a, count(DISTINCT t) AS trials
RETURN d.name AS drug, d.modality AS modality, d.drug_class AS drug_class, tg.symbol AS target,
       a.action AS action, a.sources AS sources, trials
ORDER BY drug, d.drug_id, target
SKIP $skip LIMIT $limit
