// name: combination-therapies
// theme: combinations and mechanisms
// description: Trial arms in which a drug acting on the target is given together with at least
// one other active drug in the same arm, in trials studying the condition. Placebo is not an
// active drug; drugs given in different arms of one trial are not a combination, and neither are
// alternatives within one arm (one of "durvalumab or pembrolizumab", "RT alone or RT plus
// cetuximab": the option groups on GIVES and USES_DRUG). Observational studies are left out
// (their groups are cohorts, not assigned regimens) unless observational is true. Without a
// target, every arm giving two or more active drugs together; without a condition, every trial.
// param: target (target, optional, e.g. PD-1) a target or family: symbol, alias or name (PD-1, PDCD1, programmed cell death protein 1, VEGFR); resolved to target symbols
// param: condition (condition, optional, e.g. HCC) a condition: name, synonym or abbreviation (HCC, hepatocellular carcinoma); resolved to condition ids
// param: observational (flag, optional) true to include observational studies' cohorts
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: arm the arm's label
// column: arm_type the arm's type (EXPERIMENTAL, ACTIVE_COMPARATOR, ...)
// column: drugs every active drug the arm gives, by name (alternatives included)
// column: target_drugs the arm's drugs that act on the target and are given with another drug
// column: partners the drugs given together with a target drug (not its alternatives)
// column: partners_given fixed: every participant of the arm gets a target drug and a partner (or one of a group of alternative partners); optional: only some do (the target drug is one of alternatives, or the partners are optional)
// column: phases the trial's phases
// column: status the trial's overall status
// column: conditions the trial's conditions, normalized
// The trials asked about, in a subquery so that the body below is written once: with a
// condition, its trials, found through the Condition key index (the usual question); without
// one, every trial (that branch's UNWIND yields no row when a condition is given, so the scan of
// all trials runs only then).
CALL {
  MATCH (c0:Condition)
  WHERE c0.condition_id IN $condition
  MATCH (t:Trial)-[:STUDIES]->(c0)
  RETURN t
  UNION
  UNWIND (CASE WHEN $condition IS NULL THEN [1] ELSE [] END) AS every_trial
  MATCH (t:Trial)
  RETURN t
}
WITH DISTINCT t
WHERE $observational = true OR t.study_type IS NULL OR t.study_type <> 'OBSERVATIONAL'
OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition)
WITH t, c
ORDER BY c.name
WITH t, collect(c.name) AS conditions
MATCH (t)-[:HAS_ARM]->(a:Arm)-[:GIVES]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH DISTINCT t, conditions, a, d
ORDER BY d.name
WITH t, conditions, a, collect(d.name) AS drugs
WHERE size(drugs) >= 2
MATCH (a)-[g1:GIVES]->(i1:Intervention)-[u1:USES_DRUG]->(d:Drug)
OPTIONAL MATCH (d)-[:ACTS_ON]->(tg:Target)
WITH t, conditions, a, drugs, g1, i1, u1, d, collect(tg.symbol) AS symbols
WHERE $target IS NULL OR any(s IN symbols WHERE s IN $target)
// a partner: another drug of the arm, not in the target drug's group of alternatives (compared
// on USES_DRUG within one intervention, on GIVES between two)
MATCH (a)-[g2:GIVES]->(i2:Intervention)-[u2:USES_DRUG]->(o:Drug)
WHERE o.drug_id <> d.drug_id
  AND CASE WHEN i1.intervention_id = i2.intervention_id
           THEN coalesce(u1.option_group, '-') <> coalesce(u2.option_group, '+')
           ELSE coalesce(g1.option_group, '-') <> coalesce(g2.option_group, '+') END
WITH t, conditions, a, drugs, d, o,
     sum(CASE WHEN g1.option_group IS NULL AND u1.option_group IS NULL
                   AND NOT coalesce(g2.option_group, '') STARTS WITH 'optional'
                   AND NOT coalesce(u2.option_group, '') STARTS WITH 'optional' THEN 1 ELSE 0 END) AS fixed
WITH t, conditions, a, drugs, collect(d.name) AS on_target, collect(o.name) AS given_with, sum(fixed) AS fixed
RETURN t.nct_id AS nct_id, t.brief_title AS title, a.label AS arm, a.type AS arm_type, drugs,
       [x IN drugs WHERE x IN on_target] AS target_drugs, [x IN drugs WHERE x IN given_with] AS partners,
       CASE WHEN fixed > 0 THEN 'fixed' ELSE 'optional' END AS partners_given,
       t.phases AS phases, t.overall_status AS status, conditions
ORDER BY nct_id, arm, a.arm_id
SKIP $skip LIMIT $limit
