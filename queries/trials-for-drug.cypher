// name: trials-for-drug
// theme: trials
// description: Trials giving a drug, found by any of its names: INN, code name, brand, or a
// salt or dosage-form spelling ("AK105 Injection" finds penpulimab). Lists how each trial
// wrote the drug's name.
// param: drug (drug, e.g. AK105) a drug: name, code name or brand (penpulimab, AK105, Tuoyi); resolved to drug ids
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: drug the drug, by its preferred name
// column: as_written the trial's intervention names that give the drug
// column: arms the arms that give the drug
// column: phases the trial's phases
// column: status the trial's overall status
MATCH (d:Drug)
WHERE d.drug_id IN $drug
MATCH (d)<-[:USES_DRUG]-(i:Intervention)<-[:HAS_INTERVENTION]-(t:Trial)
OPTIONAL MATCH (a:Arm)-[:GIVES]->(i)
WITH t, d, i, a
ORDER BY i.name, a.label
WITH t, d, collect(DISTINCT i.name) AS as_written, collect(DISTINCT a.label) AS arms
RETURN t.nct_id AS nct_id, t.brief_title AS title, d.name AS drug, as_written, arms, t.phases AS phases,
       t.overall_status AS status
ORDER BY nct_id, drug, d.drug_id
SKIP $skip LIMIT $limit
