// Neo4j Browser guide: one trial drawn as a graph (arms and what they give, the interventions'
// drugs and their targets, conditions, sponsors). Returns paths, for Browser's graph view.
// $nct_id: string
MATCH p = (:Trial {nct_id: $nct_id})-[:HAS_ARM]->(:Arm)-[:GIVES]->(:Intervention)
RETURN p
UNION
MATCH p = (:Trial {nct_id: $nct_id})-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(:Drug)
RETURN p
UNION
MATCH p = (:Trial {nct_id: $nct_id})-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(:Drug)-[:ACTS_ON]->(:Target)
RETURN p
UNION
MATCH p = (:Trial {nct_id: $nct_id})-[:STUDIES|SPONSORED_BY]->()
RETURN p
