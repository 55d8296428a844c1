// Validate widget files against sdk/schema/widget.v1.schema.json with ajv
// (JSON Schema 2020-12, strict mode, formats from ajv-formats).
//
//   node tests/web/validate.mjs FILE...
//
// Prints "valid FILE" or "invalid FILE" followed by every error (instance
// path, message) for each file; exits 0 when every file is valid, 1 when
// one is not, 2 when the schema itself does not compile or a file cannot
// be read or parsed.  The schema's own examples are checked first, so a
// schema whose examples drift from it fails here too.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const schemaPath = join(here, '..', '..', 'sdk', 'schema', 'widget.v1.schema.json');

let validate, schema;
try {
  schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  validate = ajv.compile(schema);
} catch (e) {
  console.error(`schema ${schemaPath} does not compile: ${e.message}`);
  process.exit(2);
}

function report(name, ok) {
  if (ok) {
    console.log(`valid ${name}`);
    return true;
  }
  console.log(`invalid ${name}`);
  for (const e of validate.errors)
    console.log(`  ${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
  return false;
}

let allValid = true;
(schema.examples || []).forEach((ex, i) => {
  allValid = report(`${schemaPath}#/examples/${i}`, validate(ex)) && allValid;
});
for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: cannot read or parse: ${e.message}`);
    process.exit(2);
  }
  allValid = report(file, validate(doc)) && allValid;
}
process.exit(allValid ? 0 : 1);
