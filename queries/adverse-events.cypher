// name: adverse-events
// theme: results and safety
// description: The adverse events reported in the results of trials giving a drug, or studying
// a condition (and every narrower one), or both: each term (with its organ system) by the number
// of trials reporting it, how many of those report it as serious, and the participants affected
// and at risk, summed over the trials' groups. Most reported first. Without a drug or a
// condition, every trial with results.
// param: drug (drug, optional, e.g. nivolumab) a drug: name, code name or brand; resolved to drug ids
// param: condition (condition, optional, e.g. NSCLC) a condition: name, synonym or abbreviation; resolved to it and every narrower condition
// column: term the adverse event term, as the trials' results name it (MedDRA, mostly)
// column: organ_system the term's organ system class
// column: trials number of trials reporting the term
// column: serious_trials of those, the trials reporting it as a serious adverse event
// column: serious_share serious_trials / trials, to three decimals
// column: affected participants affected, summed over the trials and their groups
// column: at_risk participants at risk, summed likewise
// column: nct_ids the trials reporting it
// The trials asked about, in a subquery so that the count below is written once. With a
// condition: its trials through the Condition key index, and given the drug if one is named. A
// drug without a condition: the trials giving it, through the Drug key index. Neither: every
// trial (each UNWIND yields no row unless its case applies).
CALL {
  MATCH (c:Condition)
  WHERE c.condition_id IN $condition
  MATCH (c)<-[:STUDIES]-(t:Trial)
  WITH DISTINCT t
  OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d:Drug)
  WHERE d.drug_id IN $drug
  WITH t, count(d) AS given
  WHERE $drug IS NULL OR given > 0
  RETURN t
  UNION
  UNWIND (CASE WHEN $condition IS NULL THEN [1] ELSE [] END) AS by_drug
  MATCH (d:Drug)
  WHERE d.drug_id IN $drug
  MATCH (d)<-[:USES_DRUG]-(:Intervention)<-[:HAS_INTERVENTION]-(t:Trial)
  RETURN t
  UNION
  UNWIND (CASE WHEN $condition IS NULL AND $drug IS NULL THEN [1] ELSE [] END) AS every_trial
  MATCH (t:Trial)
  RETURN t
}
WITH DISTINCT t
MATCH (t)-[r:REPORTED]->(ae:AdverseEvent)
WITH ae, t, r
ORDER BY t.nct_id
WITH ae, count(DISTINCT t) AS trials, toInteger(sum(CASE WHEN r.serious THEN 1 ELSE 0 END)) AS serious_trials,
     toInteger(sum(coalesce(r.affected, 0))) AS affected, toInteger(sum(coalesce(r.at_risk, 0))) AS at_risk,
     collect(DISTINCT t.nct_id) AS nct_ids
RETURN ae.term AS term, ae.organ_system AS organ_system, trials, serious_trials,
       round(1000.0 * serious_trials / trials) / 1000.0 AS serious_share, affected, at_risk, nct_ids
ORDER BY trials DESC, affected DESC, term, organ_system, ae.key
SKIP $skip LIMIT $limit
