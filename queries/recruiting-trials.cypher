// name: recruiting-trials
// theme: eligibility
// description: Trials of a condition (and every narrower one) that a patient could join: recruiting
// or not yet recruiting, whose eligibility admits the patient's age (in years, between the
// minimum and maximum age; an absent bound is no bound), sex, and healthy volunteers if asked,
// with a site in the country if one is given; and, if given, whose eligibility criteria mention a
// phrase (case ignored), such as an exclusion ("brain metastases").
// param: condition (condition, e.g. NSCLC) a condition: name, synonym or abbreviation; resolved to it and every narrower condition
// param: age (int, optional, e.g. 60) the patient's age in years
// param: sex (text, optional) FEMALE or MALE (trials open to ALL always match)
// param: healthy_volunteers (flag, optional) true: only trials accepting healthy volunteers
// param: country (text, optional) a country the trial has a site in, as the registry writes it (China, United States)
// param: criteria (text, optional) a phrase the eligibility criteria mention (case ignored)
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: status the trial's overall status
// column: phases the trial's phases
// column: minimum_age_years the youngest eligible age, in years
// column: maximum_age_years the oldest eligible age, in years
// column: sex the sexes eligible (ALL, FEMALE, MALE)
// column: healthy_volunteers whether healthy volunteers are accepted
// column: countries the countries of the trial's sites
MATCH (c:Condition)
WHERE c.condition_id IN $condition
MATCH (c)<-[:STUDIES]-(t:Trial)
WITH DISTINCT t
WHERE t.overall_status IN ['RECRUITING', 'NOT_YET_RECRUITING']
  AND ($age IS NULL OR ((t.minimum_age_years IS NULL OR t.minimum_age_years <= $age)
                        AND (t.maximum_age_years IS NULL OR t.maximum_age_years >= $age)))
  AND ($sex IS NULL OR t.sex IS NULL OR t.sex = 'ALL' OR t.sex = toUpper($sex))
  AND ($healthy_volunteers IS NULL OR $healthy_volunteers = false OR t.healthy_volunteers = true)
  AND ($country IS NULL OR any(x IN coalesce(t.countries, []) WHERE toLower(x) = toLower($country)))
  AND ($criteria IS NULL OR toLower(coalesce(t.eligibility_criteria, '')) CONTAINS toLower($criteria))
RETURN t.nct_id AS nct_id, t.brief_title AS title, t.overall_status AS status, t.phases AS phases,
       t.minimum_age_years AS minimum_age_years, t.maximum_age_years AS maximum_age_years, t.sex AS sex,
       t.healthy_volunteers AS healthy_volunteers, t.countries AS countries
ORDER BY nct_id
SKIP $skip LIMIT $limit
