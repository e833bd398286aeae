// The content digests of the trials of a batch that the graph already holds: one
// "layout:digest" per rendering merged into each (graph/writer.py), so that a reload can
// skip a rendering that has not changed without reading the trial.
// $nct_ids: [string]
UNWIND $nct_ids AS id
MATCH (t:Trial {nct_id: id})
RETURN t.nct_id AS nct_id, t.row_digests AS row_digests
