// name: trials-for-sponsor
// theme: trials
// description: Trials a sponsor leads or collaborates on. The name matches whole words of the
// sponsor's normalized name (case, punctuation and legal suffixes ignored), so "Junshi" finds
// "Shanghai Junshi Bioscience Co., Ltd.".
// param: sponsor (sponsor, e.g. Chia Tai Tianqing) a sponsor name or part of it, whole words
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: sponsor the sponsor's name as the trial gives it
// column: role lead or collaborator
// column: phases the trial's phases
// column: status the trial's overall status
MATCH (s:Sponsor)
WHERE (' ' + s.sponsor_id + ' ') CONTAINS (' ' + $sponsor + ' ')
MATCH (t:Trial)-[sb:SPONSORED_BY]->(s)
RETURN t.nct_id AS nct_id, t.brief_title AS title, s.name AS sponsor, sb.role AS role, t.phases AS phases,
       t.overall_status AS status
ORDER BY nct_id, sponsor, s.sponsor_id
SKIP $skip LIMIT $limit
