// FalkorDB only: the full-text index on the trials' eligibility criteria (Neo4j's is the
// FULLTEXT INDEX trial_eligibility of schema.neo4j.cypher). FalkorDB creates full-text indexes
// with a procedure, not DDL; the gateway runs this after schema.falkordb.cypher and skips it when
// the index exists. Search it with: CALL db.idx.fulltext.queryNodes('Trial', 'metastases')
// $label: 'Trial', $property: 'eligibility_criteria'
CALL db.idx.fulltext.createNodeIndex($label, $property)
