// name: sites-for-trial
// theme: sites and geography
// description: The sites of a trial, with the site's recruitment status in that trial.
// param: nct_id (nct, e.g. NCT04344158) the trial's NCT identifier
// column: facility the site's facility name
// column: city the site's city
// column: state the site's state or province
// column: country the site's country
// column: status the site's status in this trial (RECRUITING, ...)
// column: latitude the site's latitude, when the source gives it
// column: longitude the site's longitude, when the source gives it
// column: as_written the trial's own spellings of the facility, where it wrote a department or a typo
MATCH (:Trial {nct_id: $nct_id})-[hs:HAS_SITE]->(s:Site)
RETURN s.facility AS facility, s.city AS city, s.state AS state, s.country AS country, hs.status AS status,
       s.latitude AS latitude, s.longitude AS longitude, hs.as_written AS as_written
ORDER BY country, city, facility, s.site_id
SKIP $skip LIMIT $limit
