// `npm run teams:package`: the Teams app package to upload — teams/build/strengths-coach.zip holding
// manifest.json (ids, version and the developer's pages filled in from the environment) and the two
// icons, drawn from code. The manifest is checked against Microsoft's schema before anything is written.
//
//   MicrosoftAppId       the Azure Bot's app id: the bot and the message extension
//   TEAMS_APP_ID         the Teams app's own id (default: the same as MicrosoftAppId)
//   TEAMS_APP_VERSION    the package version, MAJOR.MINOR.PATCH (default: the manifest's); raise it for every upload
//   TEAMS_DEVELOPER_NAME the organisation shown as the app's developer (default: the manifest's)
//   TEAMS_DEVELOPER_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL  your support, privacy and terms pages (https)
//
// A package for review needs all of the ids and pages: with any missing, or an example.org page,
// it refuses. `npm run teams:package -- --development` builds teams/build/strengths-coach-development.zip
// with the placeholders kept (and says which), for sideloading while developing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { encodeZip } from './teams/binary.ts';
import { iconFiles } from './teams/icons.ts';
import { schemaProblems } from './teams/schema.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_PATH = join(ROOT, 'teams', 'manifest.json');
export const BUILD_DIR = join(ROOT, 'teams', 'build');
export const PACKAGE_NAME = 'strengths-coach.zip';
export const DEVELOPMENT_PACKAGE_NAME = 'strengths-coach-development.zip';
/** The id in the committed manifest, to be replaced: valid as a GUID, so the file validates as it is. */
export const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Semantic versioning's core, MAJOR.MINOR.PATCH without leading zeros: what Teams accepts as `version`. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** Hosts kept for documentation (RFC 2606) or this machine: never a real developer's page. */
const PLACEHOLDER_HOST = /(^|\.)(example(\.(org|com|net))?|localhost|invalid|test)$/i;

/** Where each developer page comes from: the manifest field it fills and the setting that gives it. */
const PAGES = [
  { field: 'websiteUrl', setting: 'TEAMS_DEVELOPER_URL', what: 'your support page' },
  { field: 'privacyUrl', setting: 'TEAMS_PRIVACY_URL', what: 'your privacy statement' },
  { field: 'termsOfUseUrl', setting: 'TEAMS_TERMS_URL', what: 'your terms of use' },
] as const;

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);
/** What was given, quoted, for a message: the settings here are ids and addresses, never secrets. */
const got = (input: unknown) => `; got '${String(input)}'`;
const guid = (what: string) =>
  z.preprocess(blankIsUnset, z.string().regex(GUID, { error: (issue) => `${what} a GUID such as ${PLACEHOLDER_ID}${got(issue.input)}` }).optional());
const page = (name: string) =>
  z.preprocess(
    blankIsUnset,
    z.url({ protocol: /^https$/, error: (issue) => `${name} must be an https:// address, such as https://your-organisation.example/strengths-coach${got(issue.input)}` }).optional(),
  );

const settingsSchema = z.object({
  MicrosoftAppId: guid("MicrosoftAppId must be the Azure Bot's app id,"),
  TEAMS_APP_ID: guid('TEAMS_APP_ID must be'),
  TEAMS_APP_VERSION: z.preprocess(blankIsUnset, z.string().regex(SEMVER, { error: (issue) => `TEAMS_APP_VERSION must be MAJOR.MINOR.PATCH, such as 1.0.3, with no leading zeros${got(issue.input)}` }).optional()),
  TEAMS_DEVELOPER_NAME: z.preprocess(blankIsUnset, z.string().max(32, 'TEAMS_DEVELOPER_NAME must be at most 32 characters').optional()),
  TEAMS_DEVELOPER_URL: page('TEAMS_DEVELOPER_URL'),
  TEAMS_PRIVACY_URL: page('TEAMS_PRIVACY_URL'),
  TEAMS_TERMS_URL: page('TEAMS_TERMS_URL'),
});

export class PackageError extends Error {
  override name = 'PackageError';
}

export interface BuildOptions {
  /** Keep placeholders (with a warning each) instead of refusing: a package to sideload, not to submit. */
  development?: boolean;
}

export interface TeamsPackage {
  manifest: Record<string, any>;
  files: Record<string, Buffer>;
  zip: Buffer;
  /** The placeholders a development build kept; always empty otherwise (they are refused). */
  warnings: string[];
}

function isPlaceholderPage(url: string): boolean {
  try {
    return PLACEHOLDER_HOST.test(new URL(url).hostname);
  } catch {
    return true;
  }
}

export function buildPackage(env: Record<string, string | undefined>, options: BuildOptions = {}, manifestText = readFileSync(MANIFEST_PATH, 'utf8')): TeamsPackage {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new PackageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  const settings = parsed.data;
  const manifest = JSON.parse(manifestText) as Record<string, any>;
  const placeholders: string[] = [];

  const botId = settings.MicrosoftAppId;
  const appId = settings.TEAMS_APP_ID ?? botId;
  if (botId) {
    for (const bot of manifest.bots ?? []) bot.botId = botId;
    for (const extension of manifest.composeExtensions ?? []) extension.botId = botId;
  } else {
    placeholders.push("MicrosoftAppId is not set, so the bot id is the placeholder and the package will not install in Teams. Set it to your Azure Bot's app id.");
  }
  if (appId) manifest.id = appId;
  if (settings.TEAMS_APP_VERSION) manifest.version = settings.TEAMS_APP_VERSION;
  if (settings.TEAMS_DEVELOPER_NAME) manifest.developer.name = settings.TEAMS_DEVELOPER_NAME;
  for (const { field, setting, what } of PAGES) {
    const given = settings[setting];
    if (given) manifest.developer[field] = given;
    const url = String(manifest.developer[field] ?? '');
    if (!given && isPlaceholderPage(url)) placeholders.push(`${setting} is not set, so developer.${field} is the placeholder ${url}. Set it to ${what}.`);
    else if (isPlaceholderPage(url)) placeholders.push(`${setting} is ${url}, a placeholder address. Set it to ${what}.`);
  }
  if (placeholders.length > 0 && !options.development) {
    throw new PackageError(
      [...placeholders, 'A package for review needs all of these. For a package to sideload while developing, run `npm run teams:package -- --development`.'].join('\n'),
    );
  }

  const files: Record<string, Buffer> = { 'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), ...iconFiles() };
  const zip = encodeZip(Object.entries(files).map(([name, data]) => ({ name, data })));
  return { manifest, files, zip, warnings: placeholders };
}

export interface MainOptions {
  out?: (line: string) => void;
  /** Where the package goes (tests write elsewhere) and the manifest it starts from. */
  buildDir?: string;
  manifestText?: string;
}

export async function main(args: string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env, options: MainOptions = {}): Promise<number> {
  const { out = console.log, buildDir = BUILD_DIR, manifestText } = options;
  const unknown = args.filter((arg) => arg !== '--development');
  if (unknown.length > 0) {
    out(`teams:package: unknown option ${unknown.join(' ')}; the only option is --development`);
    return 2;
  }
  const development = args.includes('--development');
  let built: TeamsPackage;
  try {
    built = buildPackage(env, { development }, manifestText);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    out(`teams:package: nothing written.\n${error.message}`);
    return 1;
  }
  const problems = await schemaProblems(built.manifest);
  if (problems.length > 0) {
    out(`teams:package: nothing written: the manifest breaks the schema of manifestVersion ${built.manifest.manifestVersion}:\n${problems.join('\n')}`);
    return 1;
  }
  mkdirSync(buildDir, { recursive: true });
  for (const [name, data] of Object.entries(built.files)) writeFileSync(join(buildDir, name), data);
  const zipPath = join(buildDir, development ? DEVELOPMENT_PACKAGE_NAME : PACKAGE_NAME);
  writeFileSync(zipPath, built.zip);
  for (const warning of built.warnings) out(`Warning: ${warning}`);
  out(
    `Wrote ${zipPath} (${built.zip.length} bytes): ${Object.keys(built.files).join(', ')}; app id ${built.manifest.id}, version ${built.manifest.version}; valid against the manifest ${built.manifest.manifestVersion} schema.`,
  );
  out(development ? 'A development build: sideload it (Apps → Manage your apps → Upload a custom app); do not submit it.' : 'Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app, or submit it for review.');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
