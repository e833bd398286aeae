// Whether any real (non-placeholder) site's facility name contains a text, case ignored.
// $facility: string
MATCH (s:Site)
WHERE toLower(s.facility) CONTAINS toLower($facility) AND NOT coalesce(s.placeholder, false)
RETURN s.facility AS name
LIMIT 1
