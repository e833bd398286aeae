// Write a batch of trials' results (graph/results.py): their outcome measures, the adverse
// events their results report, the publications they cite. Runs right after the batch's trials
// are written (write-trials / write-new-trials), for the same trials. A trial whose results
// component t.replace flags (graph/merge.py: it came from the highest-precedence rendering that
// has one) loses its old outcomes, REPORTED and CITES first, so a reload changes nothing and a
// changed record leaves nothing stale; one not flagged keeps what the graph has.
// Adverse events and publications are shared: each takes the whole property map of its
// highest-ranked spelling (its variant), as the other shared nodes do.
// $trials: [{nct_id, replace, outcomes: [{key, props}],
//            adverse_events: [{key, props, serious, affected, at_risk, groups, group_affected,
//                              group_at_risk, arms, vocabulary, assessment}],
//            publications: [{pmid, props, type}]}]
UNWIND $trials AS t
MATCH (tr:Trial {nct_id: t.nct_id})
OPTIONAL MATCH (tr)-[:HAS_OUTCOME]->(old:Outcome)
WITH tr, t, collect(old) AS old_outcomes
FOREACH (o IN CASE WHEN t.replace THEN old_outcomes ELSE [] END | DETACH DELETE o)
WITH tr, t
OPTIONAL MATCH (tr)-[link:REPORTED|CITES]->()
WITH tr, t, collect(link) AS links
FOREACH (l IN CASE WHEN t.replace THEN links ELSE [] END | DELETE l)
WITH tr, t
WHERE t.replace
FOREACH (o IN t.outcomes |
  CREATE (oc:Outcome)
  SET oc = o.props
  CREATE (tr)-[:HAS_OUTCOME]->(oc))
FOREACH (a IN t.adverse_events |
  MERGE (ae:AdverseEvent {key: a.key})
  SET ae = CASE WHEN ae.variant IS NULL OR a.props.variant > ae.variant THEN a.props ELSE properties(ae) END
  CREATE (tr)-[rp:REPORTED {serious: a.serious}]->(ae)
  SET rp.affected = a.affected, rp.at_risk = a.at_risk, rp.groups = a.groups, rp.group_affected = a.group_affected,
      rp.group_at_risk = a.group_at_risk, rp.arms = a.arms, rp.vocabulary = a.vocabulary, rp.assessment = a.assessment)
FOREACH (p IN t.publications |
  MERGE (pub:Publication {pmid: p.pmid})
  SET pub = CASE WHEN pub.variant IS NULL OR p.props.variant > pub.variant THEN p.props ELSE properties(pub) END
  CREATE (tr)-[ct:CITES]->(pub)
  SET ct.type = p.type)
RETURN count(tr) AS trials
