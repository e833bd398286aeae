// A condition the graph holds under a name the reference data does not know: an unresolved
// condition as trials write it ('text:adjuvant therapy'), or a registry MeSH descriptor by its
// heading (case ignored).
// $condition_id: string, $name: string
MATCH (c:Condition)
WHERE c.condition_id = $condition_id OR toLower(c.name) = toLower($name)
RETURN c.condition_id AS id
ORDER BY id
LIMIT 1
