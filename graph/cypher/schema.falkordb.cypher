// Schema for the bundled local server (FalkorDB): one range index per natural key.
// FalkorDB has no IF NOT EXISTS: the gateway skips indexes that already exist, then adds a
// unique constraint on each key with GRAPH.CONSTRAINT CREATE (not a Cypher statement).
// The full-text index on the eligibility criteria is fulltext.falkordb.cypher (a procedure call).
// The Neo4j twin of this file is schema.neo4j.cypher; both cover graph/schema.py's keys.
CREATE INDEX FOR (n:Trial) ON (n.nct_id);
CREATE INDEX FOR (n:Arm) ON (n.arm_id);
CREATE INDEX FOR (n:Intervention) ON (n.intervention_id);
CREATE INDEX FOR (n:Drug) ON (n.drug_id);
CREATE INDEX FOR (n:Target) ON (n.symbol);
CREATE INDEX FOR (n:TargetFamily) ON (n.family_id);
CREATE INDEX FOR (n:Condition) ON (n.condition_id);
CREATE INDEX FOR (n:Sponsor) ON (n.sponsor_id);
CREATE INDEX FOR (n:Site) ON (n.site_id);
CREATE INDEX FOR (n:Outcome) ON (n.key);
CREATE INDEX FOR (n:AdverseEvent) ON (n.key);
CREATE INDEX FOR (n:Publication) ON (n.pmid);
