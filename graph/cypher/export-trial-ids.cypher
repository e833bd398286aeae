// Every trial's NCT id: the pages of the exports (export-trials.cypher) are cut from this list.
MATCH (t:Trial)
RETURN t.nct_id AS nct_id
