// name: sponsor-portfolio
// theme: landscape
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
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(d:Drug)
WITH s, t, collect(DISTINCT d) AS ds
OPTIONAL MATCH (t)-[:HAS_INTERVENTION]->(:Intervention)-[:USES_DRUG]->(:Drug)-[:ACTS_ON]->(tg:Target)
WITH s, t, ds, collect(DISTINCT tg.symbol) AS symbols
OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition)
WITH s, t, ds, symbols, collect(DISTINCT c.name) AS names
// one row per (kind, value): sorting and de-duplicating these carries no long list along
UNWIND ([['trial', t.nct_id, '']] + [d IN ds | ['drug', d.name, d.drug_id]] + [x IN symbols | ['target', x, '']]
        + [x IN names | ['condition', x, '']]) AS item
WITH s, item
ORDER BY item[0], item[1], item[2]
WITH s, collect(DISTINCT item) AS items
WITH s, [i IN items WHERE i[0] = 'trial' | i[1]] AS nct_ids, items
RETURN s.name AS sponsor, size(nct_ids) AS trials, nct_ids, [i IN items WHERE i[0] = 'drug' | i[1]] AS drugs,
       [i IN items WHERE i[0] = 'target' | i[1]] AS targets, [i IN items WHERE i[0] = 'condition' | i[1]] AS conditions
ORDER BY sponsor, s.sponsor_id
SKIP $skip LIMIT $limit
