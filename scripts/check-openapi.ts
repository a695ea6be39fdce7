/**
 * Validates the served OpenAPI document with @apidevtools/swagger-parser (OpenAPI 3.1 schema and
 * references): `node --import tsx scripts/check-openapi.ts` prints the operation count or the problems
 * and exits non-zero. Run by test/unit/http/openapi.test.ts (so by `npm test` and CI).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { openApiDocument } from '../src/http/openapi';

const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
SwaggerParser.validate(structuredClone(doc) as never).then(
  () => console.log(`OpenAPI document valid: ${Object.keys(doc.paths).length} paths, ${operations} operations`),
  (error: unknown) => {
    console.error(`OpenAPI document invalid: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
