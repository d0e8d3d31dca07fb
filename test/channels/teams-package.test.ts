// The Teams app package: the manifest (current schema, the bot, the "Check language" action), the
// icons drawn from code (192×192 colour, 32×32 white-on-transparent outline) and the zip itself,
// read back entry by entry.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodeZip, pngSize } from '../../scripts/teams/binary.ts';
import { colourIcon, outlineIcon } from '../../scripts/teams/icons.ts';
import { BUILD_DIR, buildPackage, MANIFEST_PATH, PACKAGE_NAME, PLACEHOLDER_ID } from '../../scripts/teams-package.ts';
import { CHECK_LANGUAGE_COMMAND } from '../../src/channels/teams/extension.ts';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

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

  it('declares the bot in personal, team and group chat scopes', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: PLACEHOLDER_ID, scopes: ['personal', 'team', 'groupChat'] });
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
  it('draws a 192×192 colour icon, opaque edge to edge', () => {
    const icon = colourIcon();
    expect([icon.width, icon.height]).toEqual([192, 192]);
    for (let i = 3; i < icon.rgba.length; i += 4) expect(icon.rgba[i]).toBe(255);
  });

  it('draws a 32×32 outline icon in white on transparent only', () => {
    const icon = outlineIcon();
    expect([icon.width, icon.height]).toEqual([32, 32]);
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
  it('fills the ids in from the environment and zips manifest and icons', () => {
    const built = buildPackage({ MicrosoftAppId: APP_ID, TEAMS_APP_VERSION: '1.0.3' });
    expect(built.warnings).toEqual([]);
    const files = unzip(built.zip);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files['manifest.json']!.toString('utf8'));
    expect(manifest).toMatchObject({ id: APP_ID, version: '1.0.3', bots: [{ botId: APP_ID }], composeExtensions: [{ botId: APP_ID }] });
    expect(pngSize(files['color.png']!)).toEqual({ width: 192, height: 192, colourType: 6 });
    expect(pngSize(files['outline.png']!)).toEqual({ width: 32, height: 32, colourType: 6 });
    expect(pixels(files['outline.png']!)).toEqual(outlineIcon().rgba);
    expect(buildPackage({ MicrosoftAppId: APP_ID }).zip.equals(buildPackage({ MicrosoftAppId: APP_ID }).zip)).toBe(true); // reproducible
  });

  it('keeps a separate Teams app id when given, and warns when the bot id is missing', () => {
    const other = '9b2d4e0a-1c3f-4a5b-8c7d-0e1f2a3b4c5d';
    expect(buildPackage({ MicrosoftAppId: APP_ID, TEAMS_APP_ID: other }).manifest.id).toBe(other);
    expect(buildPackage({}).warnings).toEqual([expect.stringMatching(/MicrosoftAppId is not set/)]);
    expect(() => buildPackage({ MicrosoftAppId: 'my-bot' })).toThrow(/MicrosoftAppId must be .* a GUID/);
  });

  it('writes teams/build/strengths-coach.zip from the command line', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/teams-package.ts'], {
      cwd: join(BUILD_DIR, '..', '..'),
      env: { ...process.env, MicrosoftAppId: APP_ID },
      encoding: 'utf8',
    });
    expect(output).toMatch(/Wrote .*strengths-coach\.zip/);
    const zip = readFileSync(join(BUILD_DIR, PACKAGE_NAME));
    expect(JSON.parse(unzip(zip)['manifest.json']!.toString('utf8')).bots[0].botId).toBe(APP_ID);
    expect(existsSync(join(BUILD_DIR, 'outline.png'))).toBe(true);
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
