// name: trial
// theme: trials
// description: One trial on one row: its arms (each with what it gives), interventions, drugs,
// the drugs' targets, conditions, sponsors and site count.
// param: nct_id (nct, e.g. NCT04344158) the trial's NCT identifier
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: status the trial's overall status
// column: phases the trial's phases
// column: arms each arm as a map: label, type, and gives (the names of the interventions it gives)
// column: interventions the trial's interventions, as written
// column: drugs the normalized drugs the interventions give
// column: targets the targets of those drugs
// column: conditions the normalized conditions
// column: sponsors each sponsor as a map: name, and role (lead or collaborator)
// column: sites number of sites linked to the trial
// column: sources the renderings the trial was loaded from
MATCH (t:Trial {nct_id: $nct_id})
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(i:Intervention)
WITH t, i
ORDER BY i.name
WITH t, collect(i.name) AS interventions
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH t, interventions, d
ORDER BY d.name
WITH t, interventions, collect(DISTINCT d.name) AS drugs
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(:Drug)-[:ACTS_ON]->(tg:Target)
WITH t, interventions, drugs, tg
ORDER BY tg.symbol
WITH t, interventions, drugs, collect(DISTINCT tg.symbol) AS targets
OPTIONAL MATCH (t)-[:HAS_ARM]->(a:Arm)
OPTIONAL MATCH (a)-[:GIVES]->(ai:Intervention)
WITH t, interventions, drugs, targets, a, ai
ORDER BY a.label, ai.name
WITH t, interventions, drugs, targets, a, collect(ai.name) AS given
ORDER BY a.label
WITH t, interventions, drugs, targets,
     collect(CASE WHEN a IS NULL THEN null ELSE {label: a.label, type: a.type, gives: given} END) AS arms
OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition)
WITH t, interventions, drugs, targets, arms, c
ORDER BY c.name
WITH t, interventions, drugs, targets, arms, collect(c.name) AS conditions
OPTIONAL MATCH (t)-[sb:SPONSORED_BY]->(s:Sponsor)
WITH t, interventions, drugs, targets, arms, conditions, sb, s
ORDER BY sb.role DESC, s.name
WITH t, interventions, drugs, targets, arms, conditions, collect(CASE WHEN s IS NULL THEN null ELSE {name: s.name, role: sb.role} END) AS sponsors
OPTIONAL MATCH (t)-[:HAS_SITE]->(x:Site)
WITH t, interventions, drugs, targets, arms, conditions, sponsors, count(x) AS linked_sites
RETURN t.nct_id AS nct_id, t.brief_title AS title, t.overall_status AS status, t.phases AS phases, arms,
       interventions, drugs, targets, conditions, sponsors,
       CASE WHEN linked_sites > 0 THEN linked_sites ELSE t.site_count END AS sites, t.sources AS sources
ORDER BY nct_id
SKIP $skip LIMIT $limit
