// The naive writer of benchmarks/run.py: one statement per node and per relationship, the way a
// loader without batching writes (the baseline the batched writer is compared with).
// Each statement follows a line `// <name>`; statements end with ';'. No string literals.
// A relationship with an identity in graph/model.py (SPONSORED_BY's role, REPORTED's seriousness) merges on it.
// node:Trial
MERGE (n:Trial {nct_id: $key}) SET n += $props;
// node:Arm
MERGE (n:Arm {arm_id: $key}) SET n += $props;
// node:Intervention
MERGE (n:Intervention {intervention_id: $key}) SET n += $props;
// node:Drug
MERGE (n:Drug {drug_id: $key}) SET n += $props;
// node:Condition
MERGE (n:Condition {condition_id: $key}) SET n += $props;
// node:Sponsor
MERGE (n:Sponsor {sponsor_id: $key}) SET n += $props;
// node:Site
MERGE (n:Site {site_id: $key}) SET n += $props;
// rel:HAS_ARM
MATCH (a:Trial {nct_id: $from}) MATCH (b:Arm {arm_id: $to}) MERGE (a)-[r:HAS_ARM]->(b) SET r += $props;
// rel:HAS_INTERVENTION
MATCH (a:Trial {nct_id: $from}) MATCH (b:Intervention {intervention_id: $to}) MERGE (a)-[r:HAS_INTERVENTION]->(b) SET r += $props;
// rel:GIVES
MATCH (a:Arm {arm_id: $from}) MATCH (b:Intervention {intervention_id: $to}) MERGE (a)-[r:GIVES]->(b) SET r += $props;
// rel:USES_DRUG
MATCH (a:Intervention {intervention_id: $from}) MATCH (b:Drug {drug_id: $to}) MERGE (a)-[r:USES_DRUG]->(b) SET r += $props;
// rel:STUDIES
MATCH (a:Trial {nct_id: $from}) MATCH (b:Condition {condition_id: $to}) MERGE (a)-[r:STUDIES]->(b) SET r += $props;
// rel:SPONSORED_BY
MATCH (a:Trial {nct_id: $from}) MATCH (b:Sponsor {sponsor_id: $to}) MERGE (a)-[r:SPONSORED_BY {role: $props.role}]->(b) SET r += $props;
// rel:HAS_SITE
MATCH (a:Trial {nct_id: $from}) MATCH (b:Site {site_id: $to}) MERGE (a)-[r:HAS_SITE]->(b) SET r += $props;
// node:Outcome
MERGE (n:Outcome {key: $key}) SET n += $props;
// node:AdverseEvent
MERGE (n:AdverseEvent {key: $key}) SET n += $props;
// node:Publication
MERGE (n:Publication {pmid: $key}) SET n += $props;
// rel:HAS_OUTCOME
MATCH (a:Trial {nct_id: $from}) MATCH (b:Outcome {key: $to}) MERGE (a)-[r:HAS_OUTCOME]->(b) SET r += $props;
// rel:REPORTED
MATCH (a:Trial {nct_id: $from}) MATCH (b:AdverseEvent {key: $to}) MERGE (a)-[r:REPORTED {serious: $props.serious}]->(b) SET r += $props;
// rel:CITES
MATCH (a:Trial {nct_id: $from}) MATCH (b:Publication {pmid: $to}) MERGE (a)-[r:CITES]->(b) SET r += $props;
