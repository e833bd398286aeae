// name: trials-for-target
// theme: trials
// description: Trials giving a drug that acts on a target, or on any member of a target family
// (VEGFR means FLT1, KDR and FLT4), with the drugs that do.
// param: target (target, e.g. PD-1) a target or family: symbol, alias or name (PD-1, PDCD1, VEGFR); resolved to target symbols
// column: nct_id the trial's NCT identifier
// column: title the trial's brief title
// column: drugs the trial's drugs acting on the target
// column: targets the targets those drugs act on, of those asked for
// column: phases the trial's phases
// column: status the trial's overall status
MATCH (tg:Target)
WHERE tg.symbol IN $target
MATCH (tg)<-[:ACTS_ON]-(d:Drug)<-[:USES_DRUG]-(:Intervention)<-[:HAS_INTERVENTION]-(t:Trial)
WITH DISTINCT t, d, tg
ORDER BY d.name, tg.symbol
WITH t, collect(DISTINCT d.name) AS drugs, collect(DISTINCT tg.symbol) AS targets
RETURN t.nct_id AS nct_id, t.brief_title AS title, drugs, targets, t.phases AS phases, t.overall_status AS status
ORDER BY nct_id
SKIP $skip LIMIT $limit
