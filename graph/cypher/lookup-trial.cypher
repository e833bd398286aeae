// Whether the graph holds a trial (query parameters of kind nct are checked with it).
// $nct_id: string
MATCH (t:Trial {nct_id: $nct_id})
RETURN t.nct_id AS id
