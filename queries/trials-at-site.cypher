// name: trials-at-site
// theme: sites and geography
// description: Trials run at sites whose facility name contains a text (case ignored),
// optionally in one city and country. Sponsor placeholders for a site ("Local Institution",
// "Research Site", "Pfizer Investigational Site", ...: Site.placeholder) are left out, as
// they name no one place.
// param: facility (facility, e.g. Cancer Hospital) part of the facility name
// param: city (text, optional, e.g. Changsha) the city, exactly (case ignored)
// param: country (text, optional, e.g. China) the country, exactly (case ignored)
// column: facility the site's facility name
// column: city the site's city
// column: country the site's country
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: site_status the site's status in the trial
// column: status the trial's overall status
MATCH (s:Site)
WHERE toLower(s.facility) CONTAINS toLower($facility) AND NOT coalesce(s.placeholder, false)
  AND ($city IS NULL OR toLower(s.city) = toLower($city))
  AND ($country IS NULL OR toLower(s.country) = toLower($country))
MATCH (t:Trial)-[hs:HAS_SITE]->(s)
RETURN s.facility AS facility, s.city AS city, s.country AS country, t.nct_id AS nct_id, t.brief_title AS title,
       hs.status AS site_status, t.overall_status AS status
ORDER BY facility, city, country, s.site_id, nct_id
SKIP $skip LIMIT $limit
