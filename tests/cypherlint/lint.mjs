// Lint Cypher with Neo4j's own parser and semantic analysis (@neo4j-cypher/language-support).
// stdin: {"schema": DbSchema, "queries": [{"name": "...", "text": "..."}]}
// stdout: [{"name": "...", "diagnostics": [{"severity": 1|2, "message": "...", "line": n}]}]
// Parameters are not declared in the schema, so "Parameter $x is not defined." errors are
// dropped (that exact message; later versions export the same filter as isNotParamError);
// every other diagnostic is kept.
// The package's CommonJS build: its ESM build in the version pinned for Node 20 (2.0.0-next.20,
// the last whose engines accept Node 20) has extensionless imports Node cannot resolve.
import { createRequire } from 'node:module';
const { lintCypherQuery } = createRequire(import.meta.url)('@neo4j-cypher/language-support');
const isNotParamError = (d) => !/^Parameter \$\S+ is not defined\.$/.test(d.message);

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { schema, queries } = JSON.parse(input);
const out = queries.map(({ name, text }) => {
  const diagnostics = lintCypherQuery(text, schema);
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
