// name: condition-landscape
// theme: landscape
// description: The landscape of a condition (and every narrower one, its MeSH subtree), one row
// per facet value: trials by phase and status ("PHASE3 / RECRUITING"), by the lead sponsor's
// agency class (INDUSTRY, NIH, OTHER_GOV, OTHER: industry versus NIH), the ten lead sponsors with
// most trials, trials by country of their sites, and trials and enrollment by start year. Each
// trial counts once per facet value, however many of the matched conditions it studies.
// param: condition (condition, e.g. NSCLC) a condition: name, synonym or abbreviation; resolved to it and every narrower condition
// column: facet phase/status, sponsor class, sponsor, country or start year
// column: value the facet's value (a trial without one counts under 'none')
// column: trials number of trials
// column: enrollment their enrollment, summed (actual or estimated, as the records state it)
// One branch per facet, in a subquery so that one order (facet, then each facet's own) and one
// page apply to all the rows.
CALL {
  MATCH (c:Condition)
  WHERE c.condition_id IN $condition
  MATCH (c)<-[:STUDIES]-(t:Trial)
  WITH DISTINCT t
  WITH t, CASE WHEN size(coalesce(t.phases, [])) = 0 THEN 'none'
               ELSE reduce(s = '', p IN t.phases | s + CASE WHEN s = '' THEN '' ELSE '/' END + p) END AS phase
  RETURN 1 AS rank, 'phase/status' AS facet, phase + ' / ' + coalesce(t.overall_status, 'none') AS value, count(t) AS trials,
         toInteger(sum(coalesce(t.enrollment, 0))) AS enrollment
  UNION ALL
  MATCH (c:Condition)
  WHERE c.condition_id IN $condition
  MATCH (c)<-[:STUDIES]-(t:Trial)
  WITH DISTINCT t
  OPTIONAL MATCH (t)-[:SPONSORED_BY {role: 'lead'}]->(s:Sponsor)
  WITH t, coalesce(s.agency_class, 'none') AS value
  RETURN 2 AS rank, 'sponsor class' AS facet, value, count(DISTINCT t) AS trials, toInteger(sum(coalesce(t.enrollment, 0))) AS enrollment
  UNION ALL
  MATCH (c:Condition)
  WHERE c.condition_id IN $condition
  MATCH (c)<-[:STUDIES]-(t:Trial)
  WITH DISTINCT t
  MATCH (t)-[:SPONSORED_BY {role: 'lead'}]->(s:Sponsor)
  WITH s, count(DISTINCT t) AS trials, toInteger(sum(coalesce(t.enrollment, 0))) AS enrollment
  RETURN 3 AS rank, 'sponsor' AS facet, s.name + ' (' + coalesce(s.agency_class, 'none') + ')' AS value, trials, enrollment
  ORDER BY trials DESC, value
  LIMIT 10
  UNION ALL
  MATCH (c:Condition)
  WHERE c.condition_id IN $condition
  MATCH (c)<-[:STUDIES]-(t:Trial)
  WITH DISTINCT t
  MATCH (t)-[:HAS_SITE]->(x:Site)
  WITH DISTINCT t, coalesce(x.country, 'none') AS value
  RETURN 4 AS rank, 'country' AS facet, value, count(t) AS trials, toInteger(sum(coalesce(t.enrollment, 0))) AS enrollment
  UNION ALL
  MATCH (c:Condition)
  WHERE c.condition_id IN $condition
  MATCH (c)<-[:STUDIES]-(t:Trial)
  WITH DISTINCT t
  WITH t, CASE WHEN t.start_date IS NULL THEN 'none' ELSE substring(t.start_date, 0, 4) END AS value
  RETURN 5 AS rank, 'start year' AS facet, value, count(t) AS trials, toInteger(sum(coalesce(t.enrollment, 0))) AS enrollment
}
RETURN facet, value, trials, enrollment
ORDER BY rank, CASE WHEN facet IN ['phase/status', 'start year'] THEN 0 ELSE -trials END, value
SKIP $skip LIMIT $limit
