// name: sponsor-portfolio
// description: What a sponsor's trials cover: for each matching sponsor, its trials, the drugs
// they give, those drugs' targets, and the conditions studied. The name matches whole words of
// the normalized sponsor name.
// param: sponsor (sponsor, e.g. Chia Tai Tianqing) a sponsor name or part of it, whole words
// column: sponsor the sponsor's name
// column: trials number of trials it leads or collaborates on
// column: nct_ids those trials
// column: drugs drugs its trials give
// column: targets targets of those drugs
// column: conditions conditions its trials study
MATCH (s:Sponsor)
WHERE (' ' + s.sponsor_id + ' ') CONTAINS (' ' + $sponsor + ' ')
MATCH (s)<-[:SPONSORED_BY]-(t:Trial)
WITH DISTINCT s, t
ORDER BY t.nct_id
WITH s, collect(t) AS ts
UNWIND ts AS t
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH s, ts, d
ORDER BY d.name
WITH s, ts, collect(DISTINCT d) AS ds
UNWIND (CASE WHEN size(ds) = 0 THEN [null] ELSE ds END) AS d
OPTIONAL MATCH (d)-[:ACTS_ON]->(tg:Target)
WITH s, ts, ds, tg
ORDER BY tg.symbol
WITH s, ts, ds, collect(DISTINCT tg.symbol) AS targets
UNWIND ts AS t
OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition)
WITH s, ts, ds, targets, c
ORDER BY c.name
WITH s, ts, ds, targets, collect(DISTINCT c.name) AS conditions
RETURN s.name AS sponsor, size(ts) AS trials, [t IN ts | t.nct_id] AS nct_ids, [d IN ds | d.name] AS drugs,
       targets, conditions
ORDER BY sponsor
