// Schema for Neo4j 5.x / 2025.x: one named uniqueness constraint per natural key.
// A uniqueness constraint also creates the index that MERGE on that key uses.
// The FalkorDB twin of this file is schema.falkordb.cypher; both cover graph/schema.py's keys.
CREATE CONSTRAINT trial_nct_id IF NOT EXISTS FOR (n:Trial) REQUIRE n.nct_id IS UNIQUE;
CREATE CONSTRAINT arm_arm_id IF NOT EXISTS FOR (n:Arm) REQUIRE n.arm_id IS UNIQUE;
CREATE CONSTRAINT intervention_intervention_id IF NOT EXISTS FOR (n:Intervention) REQUIRE n.intervention_id IS UNIQUE;
CREATE CONSTRAINT drug_drug_id IF NOT EXISTS FOR (n:Drug) REQUIRE n.drug_id IS UNIQUE;
CREATE CONSTRAINT target_symbol IF NOT EXISTS FOR (n:Target) REQUIRE n.symbol IS UNIQUE;
CREATE CONSTRAINT targetfamily_family_id IF NOT EXISTS FOR (n:TargetFamily) REQUIRE n.family_id IS UNIQUE;
CREATE CONSTRAINT condition_condition_id IF NOT EXISTS FOR (n:Condition) REQUIRE n.condition_id IS UNIQUE;
CREATE CONSTRAINT sponsor_sponsor_id IF NOT EXISTS FOR (n:Sponsor) REQUIRE n.sponsor_id IS UNIQUE;
CREATE CONSTRAINT site_site_id IF NOT EXISTS FOR (n:Site) REQUIRE n.site_id IS UNIQUE;
CREATE CONSTRAINT outcome_key IF NOT EXISTS FOR (n:Outcome) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT adverseevent_key IF NOT EXISTS FOR (n:AdverseEvent) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT publication_pmid IF NOT EXISTS FOR (n:Publication) REQUIRE n.pmid IS UNIQUE;
// the eligibility criteria, searchable: CALL db.index.fulltext.queryNodes('trial_eligibility', 'metastases')
CREATE FULLTEXT INDEX trial_eligibility IF NOT EXISTS FOR (n:Trial) ON EACH [n.eligibility_criteria];
