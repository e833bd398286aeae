// The subgraph the HTML view draws (graph/viz.py): the trials in $nct_ids with their arms,
// interventions, drugs, the drugs' targets, conditions and sponsors (sites when $sites); the
// drugs in $drug_ids or named in $drug_names and targets in $symbols with their targets / families. One row per
// relationship (a_label, a, type, r, b_label, b); a node with nothing to draw comes with a null type.
// $nct_ids: list of string, $drug_ids: list of string, $drug_names: list of string, $symbols: list of string, $sites: boolean
MATCH (t:Trial)-[r:HAS_ARM|HAS_INTERVENTION|STUDIES|SPONSORED_BY]->(b)
WHERE t.nct_id IN $nct_ids
RETURN 'Trial' AS a_label, properties(t) AS a, type(r) AS type, properties(r) AS r, labels(b)[0] AS b_label, properties(b) AS b
UNION ALL
MATCH (t:Trial)-[:HAS_ARM]->(arm:Arm)-[r:GIVES]->(i:Intervention)
WHERE t.nct_id IN $nct_ids
RETURN 'Arm' AS a_label, properties(arm) AS a, type(r) AS type, properties(r) AS r, 'Intervention' AS b_label, properties(i) AS b
UNION ALL
MATCH (t:Trial)-[:HAS_INTERVENTION]->(i:Intervention)-[r:USES_DRUG]->(d:Drug)
WHERE t.nct_id IN $nct_ids
RETURN 'Intervention' AS a_label, properties(i) AS a, type(r) AS type, properties(r) AS r, 'Drug' AS b_label, properties(d) AS b
UNION ALL
MATCH (t:Trial)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d:Drug)-[r:ACTS_ON]->(g:Target)
WHERE t.nct_id IN $nct_ids
RETURN 'Drug' AS a_label, properties(d) AS a, type(r) AS type, properties(r) AS r, 'Target' AS b_label, properties(g) AS b
UNION ALL
MATCH (d:Drug)-[r:ACTS_ON]->(g:Target)
WHERE d.drug_id IN $drug_ids OR d.name IN $drug_names
RETURN 'Drug' AS a_label, properties(d) AS a, type(r) AS type, properties(r) AS r, 'Target' AS b_label, properties(g) AS b
UNION ALL
MATCH (g:Target)-[r:MEMBER_OF]->(f:TargetFamily)
WHERE g.symbol IN $symbols
RETURN 'Target' AS a_label, properties(g) AS a, type(r) AS type, properties(r) AS r, 'TargetFamily' AS b_label, properties(f) AS b
UNION ALL
MATCH (t:Trial)-[r:HAS_SITE]->(s:Site)
WHERE $sites AND t.nct_id IN $nct_ids
RETURN 'Trial' AS a_label, properties(t) AS a, type(r) AS type, properties(r) AS r, 'Site' AS b_label, properties(s) AS b
UNION ALL
MATCH (t:Trial)
WHERE t.nct_id IN $nct_ids
RETURN 'Trial' AS a_label, properties(t) AS a, null AS type, null AS r, null AS b_label, null AS b
UNION ALL
MATCH (d:Drug)
WHERE d.drug_id IN $drug_ids OR d.name IN $drug_names
RETURN 'Drug' AS a_label, properties(d) AS a, null AS type, null AS r, null AS b_label, null AS b
UNION ALL
MATCH (g:Target)
WHERE g.symbol IN $symbols
RETURN 'Target' AS a_label, properties(g) AS a, null AS type, null AS r, null AS b_label, null AS b
