// Whether the graph holds a drug by its id: for names the reference data does not know, the
// unresolved drug trials name that way ('unresolved:jab21822').
// $drug_id: string
MATCH (d:Drug {drug_id: $drug_id})
RETURN d.drug_id AS id
