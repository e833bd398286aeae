// name: publications-for-trial
// theme: trials
// description: The publications a trial's record cites, by PubMed id: results publications
// (RESULT), publications derived from the trial (DERIVED, linked by PubMed) and background
// (BACKGROUND); a legacy XML record's plain references carry no type. Other trials citing the
// same publication are listed. References without a PubMed id are in the trial's
// reference_citations only.
// param: nct_id (nct, e.g. NCT02552212) the trial's NCT identifier
// column: pmid the PubMed id
// column: type RESULT, DERIVED or BACKGROUND (absent: not stated)
// column: citation the citation as the record gives it
// column: url the PubMed page
// column: also_cited_by other trials citing it
MATCH (t:Trial {nct_id: $nct_id})-[ct:CITES]->(p:Publication)
OPTIONAL MATCH (p)<-[:CITES]-(other:Trial)
WHERE other.nct_id <> t.nct_id
WITH ct, p, other
ORDER BY other.nct_id
WITH ct, p, collect(DISTINCT other.nct_id) AS also_cited_by
RETURN p.pmid AS pmid, ct.type AS type, p.citation AS citation, 'https://pubmed.ncbi.nlm.nih.gov/' + p.pmid + '/' AS url,
       also_cited_by
ORDER BY type, pmid
SKIP $skip LIMIT $limit
