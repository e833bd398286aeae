// name: trials-for-condition
// theme: trials
// description: Trials studying a condition or any narrower one ("liver cancer" includes
// hepatocellular carcinoma), with the condition as each trial wrote it and the qualifiers
// it added (advanced, metastatic, ...).
// param: condition (condition, e.g. HCC) a condition: name, synonym or abbreviation (HCC, liver cancer, Carcinoma, Hepatocellular); resolved to it and every narrower condition
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: condition the normalized condition matched
// column: as_written the condition as the trial wrote it
// column: qualifiers qualifiers of the condition in this trial (advanced, metastatic, ...)
// column: phases the trial's phases
// column: status the trial's overall status
MATCH (c:Condition)
WHERE c.condition_id IN $condition
MATCH (c)<-[st:STUDIES]-(t:Trial)
RETURN t.nct_id AS nct_id, t.brief_title AS title, c.name AS condition, st.as_written AS as_written,
       st.qualifiers AS qualifiers, t.phases AS phases, t.overall_status AS status
ORDER BY nct_id, condition, c.condition_id
SKIP $skip LIMIT $limit
