// The Teams app package: the manifest (checked against Microsoft's schema for its manifestVersion,
// from @microsoft/app-manifest), the icons drawn from code (192×192 colour with its symbol in the
// central 96×96, 32×32 white-on-transparent outline with no padding), the settings a package for
// review needs, and the zip itself, read back entry by entry.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodeZip, pngSize } from '../../scripts/teams/binary.ts';
import { ACCENT, COLOUR_SIZE, COLOUR_SYMBOL, colourIcon, OUTLINE_SIZE, outlineIcon } from '../../scripts/teams/icons.ts';
import { schemaPath, schemaProblems } from '../../scripts/teams/schema.ts';
import { BUILD_DIR, buildPackage, DEVELOPMENT_PACKAGE_NAME, main, MANIFEST_PATH, PACKAGE_NAME, PLACEHOLDER_ID } from '../../scripts/teams-package.ts';
import { CHECK_LANGUAGE_COMMAND } from '../../src/channels/teams/extension.ts';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
/** Everything a package for review needs. */
const STORE = {
  MicrosoftAppId: APP_ID,
  TEAMS_APP_VERSION: '1.0.3',
  TEAMS_DEVELOPER_URL: 'https://care.council.gov.uk/strengths-coach',
  TEAMS_PRIVACY_URL: 'https://care.council.gov.uk/strengths-coach/privacy',
  TEAMS_TERMS_URL: 'https://care.council.gov.uk/strengths-coach/terms',
};

/** The bounding box of the pixels `differs` picks out: [left, top, right, bottom], inclusive. */
function boundingBox(image: { width: number; height: number; rgba: Uint8Array }, differs: (px: Uint8Array) => boolean): [number, number, number, number] {
  let [left, top, right, bottom] = [image.width, image.height, -1, -1];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const at = (y * image.width + x) * 4;
      if (!differs(image.rgba.subarray(at, at + 4))) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return [left, top, right, bottom];
}

/** Reads a zip the way an unzip tool does: end record → central directory → each local entry, CRC checked. */
function unzip(zip: Buffer): Record<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(start, start + size));
    expect(crc32(data)).toBe(zip.readUInt32LE(at + 16));
    files[name] = data;
    at += 46 + nameLength + extra;
  }
  return files;
}

/** The RGBA pixels of one of our PNGs (one IDAT, filter 0 on every row). */
function pixels(png: Buffer): Uint8Array {
  const { width, height } = pngSize(png);
  const idat = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) out.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  return out;
}

describe('the Teams app manifest', () => {
  const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8'));

  it('uses the current schema, with placeholder ids that are valid GUIDs', () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.22');
    expect(manifest.id).toBe(PLACEHOLDER_ID);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('passes the schema of its manifestVersion, from @microsoft/app-manifest', async () => {
    expect(schemaPath(manifest.manifestVersion)).toMatch(/app-manifest.*v1\.22.*MicrosoftTeams\.schema\.json$/);
    expect(await schemaProblems(manifest)).toEqual([]);
  });

  it('is checked for real: the schema names what a broken manifest breaks', async () => {
    const broken = structuredClone(manifest);
    broken.developer.websiteUrl = 'ftp://files.council.gov.uk';
    broken.bots[0].commandLists[0].commands.push({ title: 'no description' });
    delete broken.name.short;
    const problems = await schemaProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/developer\/websiteUrl must match pattern/),
        expect.stringMatching(/^\/bots\/0\/commandLists\/0\/commands\/\d+ must have required property 'description'/),
        expect.stringMatching(/^\/name must have required property 'short'/),
      ]),
    );
    expect(await schemaProblems({ ...manifest, manifestVersion: '0.9' })).toEqual([expect.stringMatching(/manifestVersion '0\.9' has no schema/)]);
  });

  it('declares the bot in personal, team and group chat scopes, with a command list for each scope', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: PLACEHOLDER_ID, scopes: ['personal', 'team', 'groupChat'] });
    const lists = manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string }[] }[];
    expect(lists.map((list) => list.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    const titles = (scope: string) => lists.find((list) => list.scopes.includes(scope))!.commands.map((c) => c.title);
    expect(titles('personal')).toEqual(expect.arrayContaining(['rehearse', 'ideas', 'reframe', 'help', 'forget']));
    expect(titles('team')).toEqual(expect.arrayContaining(['rehearse', 'practice', 'help']));
    expect(titles('team')).not.toContain('forget'); // erasing your data is for your personal chat, not a channel
    expect(titles('groupChat')).toEqual(expect.arrayContaining(['practice', 'help']));
  });

  it('declares "Check language" as an action on messages and in the compose box, fetching its dialog from the bot', () => {
    const [extension] = manifest.composeExtensions;
    expect(extension.botId).toBe(PLACEHOLDER_ID);
    expect(extension.commands).toEqual([
      expect.objectContaining({ id: CHECK_LANGUAGE_COMMAND, type: 'action', title: 'Check language', fetchTask: true, context: expect.arrayContaining(['message', 'compose']) }),
    ]);
  });
});

describe('the Teams icons', () => {
  it('draws a 192×192 colour icon, opaque edge to edge, its symbol a centred 96×96 with 48 px of padding', () => {
    const icon = colourIcon();
    expect([icon.width, icon.height]).toEqual([COLOUR_SIZE, COLOUR_SIZE]);
    for (let i = 3; i < icon.rgba.length; i += 4) expect(icon.rgba[i]).toBe(255);
    const accent = [1, 3, 5].map((at) => parseInt(ACCENT.slice(at, at + 2), 16));
    const [left, top, right, bottom] = boundingBox(icon, (px) => px[0] !== accent[0] || px[1] !== accent[1] || px[2] !== accent[2]);
    const padding = (COLOUR_SIZE - COLOUR_SYMBOL) / 2;
    expect(padding).toBe(48);
    // Inside the safe square on every side…
    for (const edge of [left, top]) expect(edge).toBeGreaterThanOrEqual(padding);
    for (const edge of [right, bottom]) expect(edge).toBeLessThan(COLOUR_SIZE - padding);
    // …filling it along its longer side, and centred along the other (within a pixel).
    expect(Math.max(right - left, bottom - top) + 1).toBe(COLOUR_SYMBOL);
    expect(Math.abs(left + right - (COLOUR_SIZE - 1))).toBeLessThanOrEqual(1);
    expect(Math.abs(top + bottom - (COLOUR_SIZE - 1))).toBeLessThanOrEqual(1);
  });

  it('draws a 32×32 outline icon in white on transparent only, reaching the edges (no padding)', () => {
    const icon = outlineIcon();
    expect([icon.width, icon.height]).toEqual([OUTLINE_SIZE, OUTLINE_SIZE]);
    const [left, top, right, bottom] = boundingBox(icon, (px) => px[3]! > 0);
    expect([left, right]).toEqual([0, OUTLINE_SIZE - 1]); // the longer side spans the whole icon
    expect(Math.abs(top + bottom - (OUTLINE_SIZE - 1))).toBeLessThanOrEqual(1);
    for (const corner of [0, OUTLINE_SIZE - 1, OUTLINE_SIZE * (OUTLINE_SIZE - 1), OUTLINE_SIZE * OUTLINE_SIZE - 1]) expect(icon.rgba[corner * 4 + 3]).toBe(0);
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < icon.rgba.length; i += 4) {
      const [r, g, b, a] = icon.rgba.subarray(i, i + 4);
      if (a === 0) transparent++;
      else {
        expect([r, g, b]).toEqual([255, 255, 255]);
        white++;
      }
    }
    expect(transparent).toBeGreaterThan(white); // mostly background: an outline, not a filled square
    expect(white).toBeGreaterThan(100);
  });
});

describe('npm run teams:package', () => {
  it('fills ids, version and the developer pages in from the environment, zips manifest and icons, and the result passes the schema', async () => {
    const built = buildPackage(STORE);
    expect(built.warnings).toEqual([]);
    const files = unzip(built.zip);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files['manifest.json']!.toString('utf8'));
    expect(manifest).toMatchObject({
      id: APP_ID,
      version: '1.0.3',
      developer: { websiteUrl: STORE.TEAMS_DEVELOPER_URL, privacyUrl: STORE.TEAMS_PRIVACY_URL, termsOfUseUrl: STORE.TEAMS_TERMS_URL },
      bots: [{ botId: APP_ID }],
      composeExtensions: [{ botId: APP_ID }],
    });
    expect(await schemaProblems(manifest)).toEqual([]);
    expect(pngSize(files['color.png']!)).toEqual({ width: 192, height: 192, colourType: 6 });
    expect(pngSize(files['outline.png']!)).toEqual({ width: 32, height: 32, colourType: 6 });
    expect(pixels(files['color.png']!)).toEqual(colourIcon().rgba);
    expect(pixels(files['outline.png']!)).toEqual(outlineIcon().rgba);
    expect(buildPackage(STORE).zip.equals(buildPackage(STORE).zip)).toBe(true); // reproducible
  });

  it('keeps a separate Teams app id and developer name when given', () => {
    const other = '9b2d4e0a-1c3f-4a5b-8c7d-0e1f2a3b4c5d';
    const built = buildPackage({ ...STORE, TEAMS_APP_ID: other, TEAMS_DEVELOPER_NAME: 'Anyshire Council' });
    expect(built.manifest).toMatchObject({ id: other, developer: { name: 'Anyshire Council' }, bots: [{ botId: APP_ID }] });
  });

  it('refuses a package for review with any placeholder left, naming each one and the way to a development build', () => {
    const refusal = (env: Record<string, string>) => {
      try {
        buildPackage(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('built a package with placeholders');
    };
    const all = refusal({});
    for (const setting of ['MicrosoftAppId', 'TEAMS_DEVELOPER_URL', 'TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL']) expect(all).toContain(`${setting} is not set`);
    expect(all).toContain('npm run teams:package -- --development');
    expect(refusal({ ...STORE, TEAMS_PRIVACY_URL: 'https://coach.example.org/privacy' })).toMatch(/^TEAMS_PRIVACY_URL is https:\/\/coach\.example\.org\/privacy, a placeholder address/);
    expect(refusal({ ...STORE, TEAMS_TERMS_URL: '' })).toMatch(/^TEAMS_TERMS_URL is not set, so developer\.termsOfUseUrl is the placeholder https:\/\/example\.org/);
  });

  it('builds a development package with the placeholders kept, and a warning for each', async () => {
    const built = buildPackage({}, { development: true });
    expect(built.warnings).toEqual([
      expect.stringMatching(/^MicrosoftAppId is not set/),
      expect.stringMatching(/^TEAMS_DEVELOPER_URL is not set/),
      expect.stringMatching(/^TEAMS_PRIVACY_URL is not set/),
      expect.stringMatching(/^TEAMS_TERMS_URL is not set/),
    ]);
    expect(built.manifest.bots[0].botId).toBe(PLACEHOLDER_ID);
    expect(await schemaProblems(built.manifest)).toEqual([]);
  });

  it('refuses malformed settings even for a development build, saying what was given', () => {
    const bad = { MicrosoftAppId: 'my-bot', TEAMS_APP_VERSION: '1.0', TEAMS_PRIVACY_URL: 'http://care.council.gov.uk/privacy' };
    expect(() => buildPackage(bad, { development: true })).toThrow(/MicrosoftAppId must be the Azure Bot's app id, a GUID .*; got 'my-bot'/);
    expect(() => buildPackage(bad, { development: true })).toThrow(/TEAMS_APP_VERSION must be MAJOR\.MINOR\.PATCH.*; got '1\.0'/);
    expect(() => buildPackage(bad, { development: true })).toThrow(/TEAMS_PRIVACY_URL must be an https:\/\/ address/);
    for (const version of ['01.0.0', '1.0.0-beta', 'v1.0.0', '1.0.0.0']) expect(() => buildPackage({ ...STORE, TEAMS_APP_VERSION: version })).toThrow(/TEAMS_APP_VERSION/);
    expect(buildPackage({ ...STORE, TEAMS_APP_VERSION: '10.20.300' }).manifest.version).toBe('10.20.300');
  });

  it('writes nothing and says why when the built manifest breaks its schema or a setting is wrong', async () => {
    const buildDir = mkdtempSync(join(tmpdir(), 'teams-package-'));
    try {
      const lines: string[] = [];
      const out = (line: string) => lines.push(line);
      const broken = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8'));
      broken.description.short = 'x'.repeat(81);
      expect(await main([], STORE, { out, buildDir, manifestText: JSON.stringify(broken) })).toBe(1);
      expect(lines.join('\n')).toMatch(/nothing written: the manifest breaks the schema of manifestVersion 1\.22:\n\/description\/short must NOT have more than 80 characters/);
      lines.length = 0;
      expect(await main([], { ...STORE, TEAMS_DEVELOPER_NAME: 'x'.repeat(33) }, { out, buildDir })).toBe(1);
      expect(lines.join('\n')).toMatch(/nothing written\.\nTEAMS_DEVELOPER_NAME must be at most 32 characters/);
      lines.length = 0;
      expect(await main(['--store'], STORE, { out, buildDir })).toBe(2);
      expect(lines.join('\n')).toMatch(/unknown option --store/);
      expect(readdirSync(buildDir)).toEqual([]);
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
  });

  it('writes teams/build/strengths-coach.zip from the command line, and the development build beside it', () => {
    const run = (args: string[], env: Record<string, string>) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/teams-package.ts', ...args], {
        cwd: join(BUILD_DIR, '..', '..'),
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
      });
    expect(run([], STORE)).toMatch(/Wrote .*\/strengths-coach\.zip .*valid against the manifest 1\.22 schema/);
    const zip = readFileSync(join(BUILD_DIR, PACKAGE_NAME));
    expect(JSON.parse(unzip(zip)['manifest.json']!.toString('utf8')).bots[0].botId).toBe(APP_ID);
    expect(existsSync(join(BUILD_DIR, 'outline.png'))).toBe(true);
    const development = run(['--development'], {});
    expect(development).toMatch(/Warning: MicrosoftAppId is not set/);
    expect(development).toMatch(/Wrote .*strengths-coach-development\.zip/);
    expect(existsSync(join(BUILD_DIR, DEVELOPMENT_PACKAGE_NAME))).toBe(true);
  });

  it('zips any entries so that they read back unchanged', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('hello') },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const files = unzip(encodeZip(entries));
    expect(files['a.txt']!.toString()).toBe('hello');
    expect(files.empty!.length).toBe(0);
  });
});
