// The trials of a batch as the graph already holds them, for merging a new rendering:
// their properties and a summary of their structure (arm labels, condition ids,
// role:sponsor ids, number of sites, number of outcomes, reported adverse events and citations).
// $nct_ids: [string]
UNWIND $nct_ids AS id
MATCH (t:Trial {nct_id: id})
OPTIONAL MATCH (t)-[:HAS_ARM]->(a:Arm)
WITH t, collect(a.label) AS arms
OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition)
WITH t, arms, collect(c.condition_id) AS conditions
OPTIONAL MATCH (t)-[sb:SPONSORED_BY]->(s:Sponsor)
WITH t, arms, conditions, collect(sb.role + ':' + s.sponsor_id) AS sponsors
OPTIONAL MATCH (t)-[:HAS_SITE]->(x:Site)
WITH t, arms, conditions, sponsors, count(x) AS sites
OPTIONAL MATCH (t)-[:HAS_OUTCOME|REPORTED|CITES]->(r)
RETURN t.nct_id AS nct_id, properties(t) AS props, arms, conditions, sponsors, sites, count(r) AS results
