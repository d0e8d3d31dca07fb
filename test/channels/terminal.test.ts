// The terminal door driven as a pipe: lines go in on one stream, the transcript comes out on another,
// with the real engine and coach on a memory store.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../src/channels/terminal/chat.ts';

async function chat(lines: string[], env: NodeJS.ProcessEnv = {}, { end = true, columns }: { end?: boolean; columns?: number } = {}) {
  const input = new PassThrough();
  const output = Object.assign(new PassThrough(), columns ? { columns } : {});
  const error = new PassThrough();
  const chunks: string[] = [];
  const problems: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  error.on('data', (chunk: Buffer) => problems.push(chunk.toString('utf8')));
  const running = runTerminalChat(env, { input, output, error, seed: () => 11 });
  input.write(lines.map((line) => `${line}\n`).join(''));
  if (end) input.end();
  const code = await running;
  return { code, transcript: chunks.join(''), errors: problems.join('') };
}

describe('terminal chat', () => {
  it('answers help, rehearses, presses a numbered button and quits', async () => {
    const { code, transcript } = await chat(['help', 'rehearse', '1', '1', 'quit', 'help']);
    expect(code).toBe(0);
    // help: the command list with numbered start buttons
    expect(transcript).toMatch(/reframe <text>/);
    expect(transcript).toMatch(/\[1\] Start a rehearsal {2}\[2\] Question ideas/);
    // rehearse: the opening question with its one button
    expect(transcript).toMatch(/What's the visit for, in a sentence\?[\s\S]*\[1\] Skip this/);
    // "1" pressed "Skip this", which brought the area menu; "1" again chose its first area
    expect(transcript).toMatch(/you> 1 \(Skip this\)[\s\S]*Which area would you like to prepare\?/);
    expect(transcript).toMatch(/you> 1 \(The person's strengths, interests and wishes\)/);
    // the area's ideas are lettered so one can be taken as a draft
    expect(transcript).toMatch(/^a\) .+\?$/m);
    expect(transcript.trimEnd().endsWith('Goodbye.')).toBe(true);
    // nothing after quit was read
    expect(transcript.match(/you> help/g)).toHaveLength(1);
  });

  it('takes a lettered idea as the draft question and coaches it, and finishes with the summary as text', async () => {
    const { transcript } = await chat(['rehearse', 'A first visit to Mr D at home', '1', 'a', 'done', 'done']);
    expect(transcript).toMatch(/you> a \(idea a: .+\?\)/);
    expect(transcript).toMatch(/That's an? [a-z ]+ question/);
    expect(transcript).toMatch(/^Rehearsal summary\n\nThe visit\n• A first visit to Mr D at home$/m);
    expect(transcript).toMatch(/^• [A-Z][a-z]+ questions \(1\): /m);
    // No Markdown syntax to read past.
    expect(transcript).not.toMatch(/^#|\*\*/m);
  });

  it('lists the areas once, numbered where they are listed', async () => {
    const { transcript } = await chat(['rehearse', 'A first visit to Mr D at home']);
    const menu = transcript.slice(transcript.indexOf('Which area'));
    expect(menu.match(/Family, friends and neighbours/g)).toHaveLength(1);
    expect(menu).toMatch(/^\[2\] Family, friends and neighbours$/m);
    expect(menu).toMatch(/^\[6\] Affirmations {2}\[7\] Finish and see the summary$/m);
  });

  it('wraps at word boundaries to the terminal width, bullets hanging under their text', async () => {
    const purpose = 'A first visit to Mr D at home, who has lived in the village for sixty years and loves his allotment';
    const { transcript } = await chat(['rehearse', purpose, 'done', 'done'], {}, { columns: 40 });
    const lines = transcript.split('\n');
    expect(lines.filter((line) => line.length > 39)).toEqual([]);
    // Every word of the purpose is whole in the summary's bullet, and the bullet's lines hang under its text.
    const at = lines.findIndex((line) => line.startsWith('• A first visit'));
    const bullet = [lines[at]!];
    for (let i = at + 1; lines[i]!.startsWith('  '); i++) bullet.push(lines[i]!);
    expect(bullet.length).toBeGreaterThan(2);
    expect(bullet.map((line) => line.slice(2)).join(' ')).toBe(purpose);
  });

  it('says so when a number is not a button on offer, and sends nothing', async () => {
    const { transcript } = await chat(['rehearse', '7', 'quit']);
    expect(transcript).toContain('There is no button 7 just now: type 1, or write a message.');
  });

  it('ends at the end of input (Ctrl-D) as it does on quit', async () => {
    const { code, transcript } = await chat(['help']);
    expect(code).toBe(0);
    expect(transcript.trimEnd().endsWith('Goodbye.')).toBe(true);
  });

  it('refuses bad settings with one line per problem and exit code 1', async () => {
    const { code, errors, transcript } = await chat([], { SESSION_TTL: 'a week' });
    expect(code).toBe(1);
    expect(errors).toContain("SESSION_TTL must be a whole number of seconds from 60 to 31536000 (one year), got 'a week'");
    expect(transcript).toBe('');
  });
});
