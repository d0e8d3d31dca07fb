// `coach analyse` as outside tools use it: a real process, text on stdin, the contract on stdout.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/compiled.ts';

// These tests run the compiled `coach`; building dist/ when it is stale takes a while on a busy machine.
beforeAll(() => void ensureBuilt(), 300_000);


function run(args: string[], input: string | (() => AsyncIterable<string>)): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ensureBuilt(), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (typeof input === 'string') child.stdin.end(input);
    else
      void (async () => {
        for await (const chunk of input()) if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
        child.stdin.end();
      })();
  });
}

describe('coach analyse --jsonl', () => {
  it('writes one line per input, in order, in the contract shape', async () => {
    const input = [
      { id: 'a', text: 'Mr B wanders at night.' },
      { id: 'b', text: 'Who supports you now?' },
      { id: 'c', text: '😀 She is wheelchair-bound.' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { code, stdout } = await run(['analyse', '--jsonl'], input + '\n');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]).toEqual({
      id: 'a',
      findings: [{ start: 5, end: 12, text: 'wanders', category: 'behaviour', suggestion: 'walks with purpose', why: expect.any(String) }],
      question: null,
      reframed: 'Mr B walks with purpose at night.',
    });
    expect(lines[1]).toEqual({ id: 'b', findings: [], question: { type: 'support', open: true }, reframed: null });
    expect(lines[2].reframed).toBe('😀 She uses a wheelchair.');
    const [finding] = lines[2].findings;
    expect('😀 She is wheelchair-bound.'.slice(finding.start, finding.end)).toBe('wheelchair-bound');
  });

  it('answers a bad line with an error object and goes on', async () => {
    const input = ['{"id":"1","text":"She is vulnerable."}', 'not json', '{"id":"2"}', '{"id":"3","text":42}', '[1,2]', '{"id":"4","text":"Fine."}'].join('\n');
    const { code, stdout } = await run(['analyse', '--jsonl'], input);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0].findings[0].category).toBe('risk');
    expect(lines[1]).toEqual({ id: null, error: expect.stringMatching(/line 2: not valid JSON/) });
    expect(lines[2]).toEqual({ id: '2', error: expect.stringMatching(/line 3: text/) });
    expect(lines[3]).toEqual({ id: '3', error: expect.stringMatching(/text/) });
    expect(lines[4]).toEqual({ id: null, error: expect.stringMatching(/line 5/) });
    expect(lines[5]).toEqual({ id: '4', findings: [], question: null, reframed: null });
  });

  it('streams: a large piped input comes out whole and in order', async () => {
    const count = 20_000;
    async function* lines() {
      for (let i = 0; i < count; i += 500) {
        let chunk = '';
        for (let j = i; j < i + 500; j++) chunk += JSON.stringify({ id: String(j), text: j % 2 ? 'He wanders.' : 'Who helps you?' }) + '\n';
        yield chunk;
      }
    }
    const { code, stdout } = await run(['analyse', '--jsonl'], lines);
    expect(code).toBe(0);
    const out = stdout.trim().split('\n');
    expect(out).toHaveLength(count);
    expect(JSON.parse(out[count - 1]!).id).toBe(String(count - 1));
    expect(JSON.parse(out[1]!).findings[0].text).toBe('wanders');
  });
});

describe('coach analyse (human report)', () => {
  it('reports findings with suggestions and why, the reframed line, and a tally', async () => {
    const { code, stdout } = await run(['analyse'], 'Mr B wanders at night and is wheelchair-bound.\nHow have you coped so far?\n');
    expect(code).toBe(0);
    expect(stdout).toContain('"wanders" (behaviour) → try "walks with purpose"');
    expect(stdout).toContain('Reframed: Mr B walks with purpose at night and uses a wheelchair.');
    expect(stdout).toContain('Question: survival, open');
    expect(stdout).toMatch(/2 findings in 2 lines: behaviour 1, identity 1\. 1 question\./);
  });

  it("keeps someone else's words, marked, and says what to record instead", async () => {
    const { stdout } = await run(['analyse'], 'Neighbours describe her as demanding.\n');
    expect(stdout).toContain('Reframed: Neighbours describe her as [[demanding]].');
    expect(stdout).toContain('record what neighbours actually saw or heard');
    expect(stdout).not.toContain('as committed');
    expect(stdout).toMatch(/1 finding in 1 line: behaviour 1\./);
  });

  it('gives null for "reframed" where no safe rewording exists', async () => {
    const input = [
      { id: 'reported', text: 'Her son says she is vulnerable.' },
      { id: 'own', text: 'He describes himself as an addict in recovery.' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const lines = (await run(['analyse', '--jsonl'], input + '\n')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.reframed)).toEqual([null, null]);
    expect(lines[0].findings[0].text).toBe('vulnerable');
  });

  it('says what was wrong with an unknown option', async () => {
    const { code, stderr } = await run(['analyse', '--json'], '');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option --json');
  });
});
