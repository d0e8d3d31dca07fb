// `npm run teams:package`: the Teams app package to upload — teams/build/strengths-coach.zip holding
// manifest.json (ids filled in from the environment) and the two icons, drawn from code.
//
//   MicrosoftAppId   the Azure Bot's app id: the bot and the message extension (required to install)
//   TEAMS_APP_ID     the Teams app's own id (default: the same as MicrosoftAppId)
//   TEAMS_APP_VERSION the package version, e.g. 1.0.1 (default: the manifest's); raise it for every upload
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeZip } from './teams/binary.ts';
import { iconFiles } from './teams/icons.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_PATH = join(ROOT, 'teams', 'manifest.json');
export const BUILD_DIR = join(ROOT, 'teams', 'build');
export const PACKAGE_NAME = 'strengths-coach.zip';
/** The id in the committed manifest, to be replaced: valid as a GUID, so the file validates as it is. */
export const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export class PackageError extends Error {
  override name = 'PackageError';
}

export interface TeamsPackage {
  manifest: Record<string, any>;
  files: Record<string, Buffer>;
  zip: Buffer;
  warnings: string[];
}

export function buildPackage(env: Record<string, string | undefined>, manifestText = readFileSync(MANIFEST_PATH, 'utf8')): TeamsPackage {
  const manifest = JSON.parse(manifestText) as Record<string, any>;
  const warnings: string[] = [];
  const botId = env.MicrosoftAppId?.trim() || '';
  const appId = env.TEAMS_APP_ID?.trim() || botId;
  const version = env.TEAMS_APP_VERSION?.trim();
  if (botId && !GUID.test(botId)) throw new PackageError(`MicrosoftAppId must be the Azure Bot's app id, a GUID such as ${PLACEHOLDER_ID}; got '${botId}'`);
  if (appId && !GUID.test(appId)) throw new PackageError(`TEAMS_APP_ID must be a GUID such as ${PLACEHOLDER_ID}; got '${appId}'`);
  if (version && !VERSION.test(version)) throw new PackageError(`TEAMS_APP_VERSION must look like 1.0.0; got '${version}'`);

  if (botId) {
    for (const bot of manifest.bots ?? []) bot.botId = botId;
    for (const extension of manifest.composeExtensions ?? []) extension.botId = botId;
  } else {
    warnings.push('MicrosoftAppId is not set: the package keeps the placeholder bot id and will not install in Teams. Set it to your Azure Bot\'s app id.');
  }
  if (appId) manifest.id = appId;
  if (version) manifest.version = version;

  const files: Record<string, Buffer> = { 'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), ...iconFiles() };
  const zip = encodeZip(Object.entries(files).map(([name, data]) => ({ name, data })));
  return { manifest, files, zip, warnings };
}

export function main(env: Record<string, string | undefined> = process.env, out: (line: string) => void = console.log): number {
  let built: TeamsPackage;
  try {
    built = buildPackage(env);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    out(`teams:package: ${error.message}`);
    return 1;
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const [name, data] of Object.entries(built.files)) writeFileSync(join(BUILD_DIR, name), data);
  const zipPath = join(BUILD_DIR, PACKAGE_NAME);
  writeFileSync(zipPath, built.zip);
  for (const warning of built.warnings) out(`Warning: ${warning}`);
  out(`Wrote ${zipPath} (${built.zip.length} bytes): ${Object.keys(built.files).join(', ')}; app id ${built.manifest.id}, version ${built.manifest.version}.`);
  out('Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app.');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
