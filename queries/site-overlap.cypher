// name: site-overlap
// theme: sites and geography
// description: Other trials that share sites with a trial (same facility, city and country
// after normalization), most shared sites first: competing for the same patients and
// investigators. Sponsor placeholders for a site ("Local Institution (Madrid)", "Research
// Site": Site.placeholder) are not shared sites, as they name no one place.
// param: nct_id (nct, e.g. NCT06008288) the trial's NCT identifier
// column: nct_id the other trial's NCT identifier
// column: title the other trial's brief title
// column: shared_sites number of sites the two trials share
// column: sites the shared sites, each as a map: facility, and city
// column: status the other trial's overall status
MATCH (t:Trial {nct_id: $nct_id})-[:HAS_SITE]->(s:Site)<-[:HAS_SITE]-(o:Trial)
WHERE o.nct_id <> t.nct_id AND NOT coalesce(s.placeholder, false)
WITH o, s
ORDER BY s.facility, s.city
WITH o, collect(DISTINCT {facility: s.facility, city: s.city}) AS sites
RETURN o.nct_id AS nct_id, o.brief_title AS title, size(sites) AS shared_sites, sites, o.overall_status AS status
ORDER BY shared_sites DESC, nct_id
SKIP $skip LIMIT $limit
