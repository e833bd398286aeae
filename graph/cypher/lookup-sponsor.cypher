// Sponsors whose normalized name holds the given words (as trials-for-sponsor matches them),
// the one with most trials first.
// $sponsor: string (a sponsor key, ontology/resolve.py sponsor_key)
MATCH (s:Sponsor)
WHERE (' ' + s.sponsor_id + ' ') CONTAINS (' ' + $sponsor + ' ')
OPTIONAL MATCH (s)<-[:SPONSORED_BY]-(t:Trial)
WITH s, count(t) AS trials
RETURN s.sponsor_id AS id, s.name AS name, trials
ORDER BY trials DESC, id
LIMIT 10
