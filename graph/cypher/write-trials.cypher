// Write a batch of trials, each whole: the trial, its arms and interventions, what each arm
// gives, the drugs each intervention uses, its conditions, sponsors and sites.
// One statement, so on both engines a batch is atomic: every trial in it is written whole or
// not at all. Each component of the trial's structure (arms with their interventions;
// conditions; sponsors; sites) that t.replace flags is replaced whole, so a reload of the
// same record changes nothing and a changed record leaves nothing stale; a component not
// flagged keeps what the graph has (it came from a higher-precedence rendering: graph/merge.py).
// Drugs the reference data does not know are created once, flagged resolved = false.
// A shared node takes the whole property map of its highest-ranked spelling (its variant), never
// a union of spellings, so the result does not depend on the order trials arrive in.
// $trials: [{nct_id, props, replace: {arms, conditions, sponsors, sites},
//            unresolved_drugs: [{drug_id, name}],
//            arms: [{arm_id, props, intervention_ids, gives: [{intervention_id, option_group}]}],
//            interventions: [{intervention_id, props, drug_ids, uses: [{drug_id, option_group}]}],
// option_group on GIVES and USES_DRUG: null when every participant gets it (graph/schema.py).
//            conditions: [{condition_id, props, as_written, qualifiers}],
//            sponsors: [{sponsor_id, props, role}], sites: [{site_id, props, status, as_written}]}]
UNWIND $trials AS t
MERGE (tr:Trial {nct_id: t.nct_id})
WITH tr, t
OPTIONAL MATCH (tr)-[:HAS_ARM|HAS_INTERVENTION]->(owned)
WITH tr, t, collect(owned) AS owned_nodes
FOREACH (o IN CASE WHEN t.replace.arms THEN owned_nodes ELSE [] END | DETACH DELETE o)
WITH tr, t
OPTIONAL MATCH (tr)-[link:STUDIES|SPONSORED_BY|HAS_SITE]->()
WITH tr, t, collect(link) AS links
FOREACH (l IN [x IN links WHERE (type(x) = 'STUDIES' AND t.replace.conditions)
    OR (type(x) = 'SPONSORED_BY' AND t.replace.sponsors) OR (type(x) = 'HAS_SITE' AND t.replace.sites)] |
  DELETE l)
SET tr = t.props
FOREACH (nd IN t.unresolved_drugs |
  MERGE (ud:Drug {drug_id: nd.drug_id})
  SET ud += CASE WHEN ud.variant IS NULL OR nd.variant > ud.variant
                 THEN {name: nd.name, resolved: false, variant: nd.variant} ELSE {} END)
FOREACH (i IN t.interventions |
  MERGE (iv:Intervention {intervention_id: i.intervention_id})
  SET iv = i.props
  MERGE (tr)-[:HAS_INTERVENTION]->(iv)
  FOREACH (u IN i.uses |
    MERGE (dr:Drug {drug_id: u.drug_id})
    MERGE (iv)-[ud:USES_DRUG]->(dr)
    SET ud.option_group = u.option_group))
FOREACH (a IN t.arms |
  MERGE (arm:Arm {arm_id: a.arm_id})
  SET arm = a.props
  MERGE (tr)-[:HAS_ARM]->(arm)
  FOREACH (g IN a.gives |
    MERGE (given:Intervention {intervention_id: g.intervention_id})
    MERGE (arm)-[gv:GIVES]->(given)
    SET gv.option_group = g.option_group))
FOREACH (c IN t.conditions |
  MERGE (cond:Condition {condition_id: c.condition_id})
  SET cond = CASE WHEN cond.variant IS NULL OR c.props.variant > cond.variant THEN c.props ELSE properties(cond) END
  MERGE (tr)-[st:STUDIES]->(cond)
  SET st.as_written = c.as_written, st.qualifiers = c.qualifiers)
FOREACH (s IN t.sponsors |
  MERGE (sp:Sponsor {sponsor_id: s.sponsor_id})
  SET sp = CASE WHEN sp.variant IS NULL OR s.props.variant > sp.variant THEN s.props ELSE properties(sp) END
  MERGE (tr)-[:SPONSORED_BY {role: s.role}]->(sp))
FOREACH (x IN t.sites |
  MERGE (site:Site {site_id: x.site_id})
  SET site = CASE WHEN site.variant IS NULL OR x.props.variant > site.variant THEN x.props ELSE properties(site) END
  MERGE (tr)-[hs:HAS_SITE]->(site)
  SET hs.status = x.status, hs.as_written = x.as_written)
RETURN count(tr) AS trials
