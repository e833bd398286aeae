// Write a batch of trials the graph does not hold yet (the writer has just read which ones it
// holds): the same rows and the same result as write-trials, without its search for what a
// trial already owns, so a first load of the registry does not pay for it. Trials, arms,
// interventions and their relationships are created; shared nodes (drugs, conditions,
// sponsors, sites) are merged, keeping the whole property map of the most complete spelling (its
// variant rank), never a union of spellings: the result does not depend on load order.
// One statement, so on both engines the batch is atomic.
// $trials: [{nct_id, props, unresolved_drugs: [{drug_id, name, variant}],
//            arms: [{arm_id, props, intervention_ids, gives: [{intervention_id, option_group}]}],
//            interventions: [{intervention_id, props, drug_ids, uses: [{drug_id, option_group}]}],
//            conditions: [{condition_id, props, as_written, qualifiers}],
//            sponsors: [{sponsor_id, props, role}], sites: [{site_id, props, status, as_written}]}]
UNWIND $trials AS t
CREATE (tr:Trial)
SET tr = t.props
FOREACH (nd IN t.unresolved_drugs |
  MERGE (ud:Drug {drug_id: nd.drug_id})
  SET ud += CASE WHEN ud.variant IS NULL OR nd.variant > ud.variant
                 THEN {name: nd.name, resolved: false, variant: nd.variant} ELSE {} END)
FOREACH (i IN t.interventions |
  CREATE (iv:Intervention)
  SET iv = i.props
  CREATE (tr)-[:HAS_INTERVENTION]->(iv)
  FOREACH (u IN i.uses |
    MERGE (dr:Drug {drug_id: u.drug_id})
    CREATE (iv)-[ud:USES_DRUG]->(dr)
    SET ud.option_group = u.option_group))
FOREACH (a IN t.arms |
  CREATE (arm:Arm)
  SET arm = a.props
  CREATE (tr)-[:HAS_ARM]->(arm)
  FOREACH (g IN a.gives |
    MERGE (given:Intervention {intervention_id: g.intervention_id})
    CREATE (arm)-[gv:GIVES]->(given)
    SET gv.option_group = g.option_group))
FOREACH (c IN t.conditions |
  MERGE (cond:Condition {condition_id: c.condition_id})
  SET cond = CASE WHEN cond.variant IS NULL OR c.props.variant > cond.variant THEN c.props ELSE properties(cond) END
  CREATE (tr)-[:STUDIES {as_written: c.as_written, qualifiers: c.qualifiers}]->(cond))
FOREACH (s IN t.sponsors |
  MERGE (sp:Sponsor {sponsor_id: s.sponsor_id})
  SET sp = CASE WHEN sp.variant IS NULL OR s.props.variant > sp.variant THEN s.props ELSE properties(sp) END
  MERGE (tr)-[:SPONSORED_BY {role: s.role}]->(sp))
FOREACH (x IN t.sites |
  MERGE (site:Site {site_id: x.site_id})
  SET site = CASE WHEN site.variant IS NULL OR x.props.variant > site.variant THEN x.props ELSE properties(site) END
  CREATE (tr)-[:HAS_SITE {status: x.status, as_written: x.as_written}]->(site))
RETURN count(tr) AS trials
