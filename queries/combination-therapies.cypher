// name: combination-therapies
// description: Trial arms in which a drug acting on the target is given together with at least
// one other active drug in the same arm, in trials studying the condition. Placebo is not an
// active drug; drugs given in different arms of one trial are not a combination. Without a
// target, every arm giving two or more active drugs; without a condition, every trial.
// param: target (target, optional, e.g. PD-1) a target or family: symbol, alias or name (PD-1, PDCD1, programmed cell death protein 1, VEGFR); resolved to target symbols
// param: condition (condition, optional, e.g. HCC) a condition: name, synonym or abbreviation (HCC, hepatocellular carcinoma); resolved to condition ids
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: arm the arm's label
// column: arm_type the arm's type (EXPERIMENTAL, ACTIVE_COMPARATOR, ...)
// column: drugs every active drug the arm gives, by name
// column: target_drugs the arm's drugs that act on the target
// column: phases the trial's phases
// column: status the trial's overall status
// column: conditions the trial's conditions, normalized
// With a condition: its trials, found through the Condition key index (the usual question).
MATCH (c0:Condition)
WHERE c0.condition_id IN $condition
MATCH (t:Trial)-[:STUDIES]->(c0)
WITH DISTINCT t
OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition)
WITH t, c
ORDER BY c.name
WITH t, collect(c.name) AS conditions
MATCH (t)-[:HAS_ARM]->(a:Arm)-[:GIVES]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH DISTINCT t, conditions, a, d
ORDER BY d.name
WITH t, conditions, a, collect(d.name) AS drugs, collect(d) AS arm_drugs
WHERE size(drugs) >= 2
UNWIND arm_drugs AS d
OPTIONAL MATCH (d)-[:ACTS_ON]->(tg:Target)
WITH t, conditions, a, drugs, d, collect(tg.symbol) AS symbols
WITH t, conditions, a, drugs, d, ($target IS NULL OR any(s IN symbols WHERE s IN $target)) AS on_target
ORDER BY d.name
WITH t, conditions, a, drugs, collect(CASE WHEN on_target THEN d.name END) AS target_drugs
WHERE size(target_drugs) > 0
RETURN t.nct_id AS nct_id, t.brief_title AS title, a.label AS arm, a.type AS arm_type, drugs, target_drugs,
       t.phases AS phases, t.overall_status AS status, conditions
ORDER BY nct_id, arm
UNION ALL
// Without a condition: every trial (this UNWIND yields no row when a condition is given, so the
// scan of all trials runs only then).
UNWIND (CASE WHEN $condition IS NULL THEN [1] ELSE [] END) AS every_trial
MATCH (t:Trial)
WITH DISTINCT t
OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition)
WITH t, c
ORDER BY c.name
WITH t, collect(c.name) AS conditions
MATCH (t)-[:HAS_ARM]->(a:Arm)-[:GIVES]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH DISTINCT t, conditions, a, d
ORDER BY d.name
WITH t, conditions, a, collect(d.name) AS drugs, collect(d) AS arm_drugs
WHERE size(drugs) >= 2
UNWIND arm_drugs AS d
OPTIONAL MATCH (d)-[:ACTS_ON]->(tg:Target)
WITH t, conditions, a, drugs, d, collect(tg.symbol) AS symbols
WITH t, conditions, a, drugs, d, ($target IS NULL OR any(s IN symbols WHERE s IN $target)) AS on_target
ORDER BY d.name
WITH t, conditions, a, drugs, collect(CASE WHEN on_target THEN d.name END) AS target_drugs
WHERE size(target_drugs) > 0
RETURN t.nct_id AS nct_id, t.brief_title AS title, a.label AS arm, a.type AS arm_type, drugs, target_drugs,
       t.phases AS phases, t.overall_status AS status, conditions
ORDER BY nct_id, arm
