// The web chat's two stateless helpers over real HTTP on loopback: "Check a note" (POST /web/check)
// and the summary as a Word document (POST /web/summary.docx). Neither keeps or logs what it is sent.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createLogger } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';

const coach = loadCoach();
const NOTE = 'Mr B wanders at night and is wheelchair-bound. Neighbours call him a vulnerable adult.';

describe('the web chat: check a note, and the summary as Word', () => {
  let http: CoachServer;
  let base: string;
  const logs: string[] = [];
  let store: MemoryStore;

  beforeAll(async () => {
    store = new MemoryStore({ sweepIntervalMs: 0 });
    const sink = { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream;
    http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store, coach }), store, coach, log: createLogger('debug', sink) });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(() => http.close());

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  }

  it('finds each phrase with its offsets, reason and alternatives, and rewords only the accepted ones', async () => {
    const none = (await (await post('/web/check', { user: 'u1', text: NOTE })).json()) as { findings: { text: string; start: number; end: number; why: string; alternatives: string[] }[]; reworded: string };
    expect(none.findings.map((f) => f.text)).toEqual(['wanders', 'wheelchair-bound', 'vulnerable adult']);
    for (const f of none.findings) {
      expect(NOTE.slice(f.start, f.end)).toBe(f.text);
      expect(f.why.length).toBeGreaterThan(20);
      expect(f.alternatives.length).toBeGreaterThan(0);
    }
    expect(none.reworded).toBe(NOTE);
    const some = (await (await post('/web/check', { user: 'u1', text: NOTE, accept: [1, 2] })).json()) as { reworded: string };
    // What the neighbours call him is their word: kept, marked, for the practitioner to record what they saw.
    expect(some.reworded).toBe('Mr B wanders at night and uses a wheelchair. Neighbours call him a [[vulnerable adult]].');
    const all = (await (await post('/web/check', { user: 'u1', text: NOTE, accept: [0, 1, 2] })).json()) as { reworded: string };
    expect(all.reworded).toBe(coach.reframe(NOTE).text);
    // Nothing of the note is kept or logged.
    expect(logs.join('')).not.toContain('wanders');
  });

  it('takes a note of 10,000 characters and refuses a longer one, or an empty one, with the reason', async () => {
    const long = `${NOTE} `.repeat(200).slice(0, 10_000);
    expect((await post('/web/check', { user: 'u1', text: long })).status).toBe(200);
    const over = await post('/web/check', { user: 'u1', text: `${long}x` });
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({ error: 'Bad request: a note can be at most 10,000 characters.' });
    expect(await (await post('/web/check', { user: 'u1', text: '  ' })).json()).toEqual({ error: 'Bad request: paste the note to check.' });
    expect(await (await post('/web/check', { text: NOTE })).json()).toEqual({ error: 'Bad request: user is required.' });
  });

  it('answers only the page served from its own address', async () => {
    const other = await post('/web/check', { user: 'u1', text: NOTE }, { origin: 'https://elsewhere.example' });
    expect(other.status).toBe(403);
    expect((await post('/web/summary.docx', { summary: { title: 'T', sections: [{ heading: 'H', lines: [] }] } }, { origin: 'https://elsewhere.example' })).status).toBe(403);
  });

  it('builds the summary as a .docx that opens, with its title, headings and lines (bold where the summary marks it)', async () => {
    const summary = {
      title: 'Rehearsal summary',
      sections: [
        { heading: 'The visit', lines: ['Visit to Mrs K & her daughter <after the fall>'] },
        { heading: 'Questions planned', lines: ['**Support questions** (1): Who helps you now?'] },
      ],
    };
    const response = await post('/web/summary.docx', { summary, markdown: 'ignored', kind: 'rehearsal' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="rehearsal-summary.docx"');
    const dir = await mkdtemp(join(tmpdir(), 'coach-docx-'));
    try {
      const file = join(dir, 'summary.docx');
      await writeFile(file, Buffer.from(await response.arrayBuffer()));
      const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
      for (const text of ['Rehearsal summary', 'The visit', 'Questions planned', 'Visit to Mrs K &amp; her daughter &lt;after the fall&gt;', ' (1): Who helps you now?']) {
        expect(xml).toContain(`<w:t xml:space="preserve">${text}</w:t>`);
      }
      expect(xml).toMatch(/<w:b\/>[\s\S]*?<w:t xml:space="preserve">Support questions<\/w:t>/);
      expect(xml).not.toContain('**');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a body that is not a summary, saying what is wrong', async () => {
    const bad = await post('/web/summary.docx', { summary: { title: '', sections: [] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('Bad request: summary.title must not be empty; the summary needs at least one section.');
    expect((await post('/web/summary.docx', { nothing: true })).status).toBe(400);
  });

  it('streams only practice rooms, and says what a good room code looks like', async () => {
    const bad = await fetch(`${base}/web/rooms/stream?conversation=tab-1&user=u1`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Bad request: conversation must be a practice room like room-7KQ2M9XD.' });
    const open = new AbortController();
    const stream = await fetch(`${base}/web/rooms/stream?conversation=room-7KQ2M9XD&user=u1&name=Sam`, { signal: open.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('event: presence')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('data: {"type":"presence","people":["Sam"],"count":1}');
    open.abort();
  });
});
