// Lint Cypher with Neo4j's own parser and semantic analysis (@neo4j-cypher/language-support).
// stdin: {"schema": DbSchema, "queries": [{"name": "...", "text": "..."}]}
// stdout: [{"name": "...", "diagnostics": [{"severity": 1|2, "message": "...", "line": n}]}]
// Parameters are not declared in the schema, so "Parameter $x is not defined." errors are
// dropped with the package's own isNotParamError filter; every other diagnostic is kept.
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { schema, queries } = JSON.parse(input);
const out = queries.map(({ name, text }) => {
  const { diagnostics } = lintCypherQuery(text, schema);
  return {
    name,
    diagnostics: diagnostics.filter(isNotParamError).map((d) => ({
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
