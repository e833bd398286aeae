// The results of one page of trials for the exports (graph/rdf.py trial_pages), in the shape
// graph/results.py builds: outcomes, adverse events with their REPORTED properties, publications.
// $ids: [string]
UNWIND $ids AS id
MATCH (t:Trial {nct_id: id})
OPTIONAL MATCH (t)-[:HAS_OUTCOME]->(o:Outcome)
WITH t, o
ORDER BY o.key
WITH t, collect(CASE WHEN o IS NULL THEN null ELSE {key: o.key, props: properties(o)} END) AS outcomes
OPTIONAL MATCH (t)-[r:REPORTED]->(ae:AdverseEvent)
WITH t, outcomes, r, ae
ORDER BY ae.key, r.serious
WITH t, outcomes,
     collect(CASE WHEN ae IS NULL THEN null
             ELSE {key: ae.key, props: properties(ae), serious: r.serious, affected: r.affected, at_risk: r.at_risk,
                   groups: r.groups, group_affected: r.group_affected, group_at_risk: r.group_at_risk, arms: r.arms,
                   vocabulary: r.vocabulary, assessment: r.assessment} END) AS adverse_events
OPTIONAL MATCH (t)-[c:CITES]->(p:Publication)
WITH t, outcomes, adverse_events, c, p
ORDER BY p.pmid
WITH t, outcomes, adverse_events,
     collect(CASE WHEN p IS NULL THEN null ELSE {pmid: p.pmid, props: properties(p), type: c.type} END) AS publications
RETURN t.nct_id AS nct_id, outcomes, adverse_events, publications
