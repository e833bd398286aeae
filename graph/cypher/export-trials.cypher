// One page of trials for the RDF / networkx / neo4j-import exports, each with its structure, in
// the shape the writer builds (graph/writer.py trial_row). The page is a list of NCT ids (from
// export-trial-ids.cypher), each found through the Trial key index: every page costs the same,
// however far into the registry it is (paging with ORDER BY ... LIMIT sorts the rest each time).
// $ids: [string]
UNWIND $ids AS id
MATCH (t:Trial {nct_id: id})
OPTIONAL MATCH (t)-[:HAS_ARM]->(a:Arm)
OPTIONAL MATCH (a)-[gv:GIVES]->(ai:Intervention)
WITH t, a, gv, ai
ORDER BY a.arm_id, ai.intervention_id
WITH t, a, collect(ai.intervention_id) AS given,
     collect(CASE WHEN ai IS NULL THEN null ELSE {intervention_id: ai.intervention_id, option_group: gv.option_group} END) AS gives
WITH t, collect(CASE WHEN a IS NULL THEN null
                ELSE {arm_id: a.arm_id, props: properties(a), intervention_ids: given, gives: gives} END) AS arms
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(i:Intervention)
OPTIONAL MATCH (i)-[ud:USES_DRUG]->(d:Drug)
WITH t, arms, i, ud, d
ORDER BY i.intervention_id, d.drug_id
WITH t, arms, i, collect(d.drug_id) AS drug_ids,
     collect(CASE WHEN d IS NULL THEN null ELSE {drug_id: d.drug_id, option_group: ud.option_group} END) AS uses
WITH t, arms, collect(CASE WHEN i IS NULL THEN null
                      ELSE {intervention_id: i.intervention_id, props: properties(i), drug_ids: drug_ids, uses: uses} END) AS interventions
OPTIONAL MATCH (t)-[st:STUDIES]->(c:Condition)
WITH t, arms, interventions, st, c
ORDER BY c.condition_id
WITH t, arms, interventions,
     collect(CASE WHEN c IS NULL THEN null
             ELSE {condition_id: c.condition_id, as_written: st.as_written, qualifiers: st.qualifiers, props: properties(c)} END) AS conditions
OPTIONAL MATCH (t)-[sb:SPONSORED_BY]->(s:Sponsor)
WITH t, arms, interventions, conditions, sb, s
ORDER BY s.sponsor_id
WITH t, arms, interventions, conditions,
     collect(CASE WHEN s IS NULL THEN null ELSE {sponsor_id: s.sponsor_id, role: sb.role, props: properties(s)} END) AS sponsors
OPTIONAL MATCH (t)-[hs:HAS_SITE]->(x:Site)
WITH t, arms, interventions, conditions, sponsors, hs, x
ORDER BY x.site_id
WITH t, arms, interventions, conditions, sponsors,
     collect(CASE WHEN x IS NULL THEN null ELSE {site_id: x.site_id, status: hs.status, as_written: hs.as_written, props: properties(x)} END) AS sites
RETURN t.nct_id AS nct_id, properties(t) AS props, arms, interventions, conditions, sponsors, sites
ORDER BY nct_id
