// Checks a Teams app manifest against Microsoft's JSON schema for its own `manifestVersion`, as
// shipped in @microsoft/app-manifest (the Microsoft 365 Agents Toolkit's manifest library, which
// validates with ajv). The schema files come with the package: nothing is fetched.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';

const require = createRequire(import.meta.url);
const SCHEMAS = join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');

/** The path of the schema for one manifest version ("1.22"), or undefined when the package has none. */
export function schemaPath(manifestVersion: string): string | undefined {
  if (!/^(\d+\.\d+|devPreview)$/.test(manifestVersion)) return undefined;
  const path = join(SCHEMAS, `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  return existsSync(path) ? path : undefined;
}

/** Every way the manifest breaks its schema, as "<path> <message>" lines; empty when it is valid. */
export async function schemaProblems(manifest: Record<string, unknown>): Promise<string[]> {
  const version = typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : '';
  const path = schemaPath(version);
  if (!path) return [`manifestVersion '${version}' has no schema in @microsoft/app-manifest`];
  const schema = JSON.parse(readFileSync(path, 'utf8'));
  return AppManifestUtils.validateAgainstSchema(manifest as never, schema);
}
