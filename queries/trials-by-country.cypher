// name: trials-by-country
// theme: sites and geography
// description: Where a condition (and every narrower one) is studied: each country of the trials'
// sites, with the number of trials and of sites there and the cities. Given a target, only the
// trials giving a drug acting on it (target to sites: "where are PD-1 drugs tested in NSCLC?").
// param: condition (condition, e.g. NSCLC) a condition: name, synonym or abbreviation; resolved to it and every narrower condition
// param: target (target, optional) a target or family: symbol, alias or name; resolved to target symbols
// column: country the sites' country, as the records write it
// column: trials number of trials with a site there
// column: sites number of sites there
// column: cities the sites' cities, in alphabetical order
// column: nct_ids those trials
MATCH (c:Condition)
WHERE c.condition_id IN $condition
MATCH (c)<-[:STUDIES]-(t:Trial)
WITH DISTINCT t
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(:Drug)-[:ACTS_ON]->(tg:Target)
WHERE tg.symbol IN $target
WITH t, count(tg) AS on_target
WHERE $target IS NULL OR on_target > 0
MATCH (t)-[:HAS_SITE]->(s:Site)
WHERE s.country IS NOT NULL
WITH s, t
ORDER BY t.nct_id
WITH s.country AS country, count(DISTINCT s) AS sites, collect(DISTINCT t.nct_id) AS nct_ids, collect(DISTINCT s) AS places
UNWIND places AS s
WITH country, sites, nct_ids, s.city AS city
ORDER BY city
WITH country, sites, nct_ids, collect(DISTINCT city) AS cities
RETURN country, size(nct_ids) AS trials, sites, cities, nct_ids
ORDER BY trials DESC, sites DESC, country
SKIP $skip LIMIT $limit
