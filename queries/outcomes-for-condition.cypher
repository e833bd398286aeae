// name: outcomes-for-condition
// theme: results and safety
// description: The outcome measures of the trials studying a condition (and every narrower one),
// in a phase if one is given: primary outcomes unless another kind is asked for. Measures worded
// the same in several trials are one row. With, where the trials' results report them, the
// p-values of their analyses.
// param: condition (condition, e.g. NSCLC) a condition: name, synonym or abbreviation; resolved to it and every narrower condition
// param: phase (text, optional, e.g. PHASE3) a phase as the registry writes it (PHASE1 ... PHASE4, EARLY_PHASE1; 'Phase 3' also matches)
// param: kind (text, optional) primary (the default), secondary or other
// column: measure the outcome measure
// column: time_frames the time frames the trials give for it
// column: trials number of trials with this measure
// column: reported of those, the trials whose results report it
// column: p_values the p-values of its analyses, as the results write them
// column: nct_ids those trials
MATCH (c:Condition)
WHERE c.condition_id IN $condition
MATCH (c)<-[:STUDIES]-(t:Trial)
WITH DISTINCT t
WHERE $phase IS NULL
   OR any(p IN coalesce(t.phases, []) WHERE replace(p, '_', '') = toUpper(replace(replace($phase, ' ', ''), '_', '')))
MATCH (t)-[:HAS_OUTCOME]->(o:Outcome)
WHERE o.kind = toLower(coalesce($kind, 'primary'))
WITH o, t
ORDER BY t.nct_id, o.ordinal
WITH o.measure AS measure, collect(DISTINCT o.time_frame) AS time_frames, count(DISTINCT t) AS trials,
     toInteger(sum(CASE WHEN o.reported THEN 1 ELSE 0 END)) AS reported, collect(o.p_values) AS p_lists,
     collect(DISTINCT t.nct_id) AS nct_ids
RETURN measure, time_frames, trials, reported,
       reduce(acc = [], ps IN p_lists | acc + coalesce(ps, [])) AS p_values, nct_ids
ORDER BY trials DESC, measure
SKIP $skip LIMIT $limit
