// `coach analyse`: a human report of text on stdin, or with --jsonl the contract in
// shared/architecture.md — one JSON object in, one out, in order; a bad line gets an error object.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { z } from 'zod';
import type { Coach } from '../coach/index.ts';
import { KEPT_MARKER_NOTE } from '../coach/rewrite.ts';
import { countOf } from '../coach/words.ts';

const inputLine = z.strictObject({
  id: z.union([z.string(), z.number()]),
  text: z.string(),
});

export async function analyseJsonl(coach: Coach, input: Readable, output: Writable): Promise<{ lines: number; errors: number }> {
  let lines = 0;
  let errors = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    lines++;
    const result = analyseLine(coach, line, lines);
    if ('error' in result) errors++;
    if (!output.write(JSON.stringify(result) + '\n')) await once(output, 'drain');
  }
  return { lines, errors };
}

export function analyseLine(coach: Coach, line: string, lineNumber: number): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { id: null, error: `line ${lineNumber}: not valid JSON; send one object per line, like {"id": "1", "text": "..."}` };
  }
  const parsed = inputLine.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw as { id: unknown }).id : null;
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'object'}: ${i.message}`).join('; ');
    return { id: typeof id === 'string' || typeof id === 'number' ? id : null, error: `line ${lineNumber}: ${problems}` };
  }
  const { id, text } = parsed.data;
  const { findings, question, reframed } = coach.analyse(text);
  return {
    id,
    findings: findings.map(({ start, end, text: t, category, suggestion, why }) => ({ start, end, text: t, category, suggestion, why })),
    // The contract keeps one type: the second reading and the part asked stay in the coaching.
    question: question && { type: question.type, open: question.open },
    reframed,
  };
}

/** The human report: each line of the text with what the coach noticed, then a tally. */
export async function analyseHuman(coach: Coach, input: Readable, output: Writable): Promise<{ findings: number }> {
  let lineNumber = 0;
  let total = 0;
  let questions = 0;
  const byCategory = new Map<string, number>();
  const write = async (s: string) => {
    if (!output.write(s)) await once(output, 'drain');
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    const { findings, question, text: shown, phrases } = coach.analyse(line);
    if (question) questions++;
    if (findings.length === 0 && !question) continue;
    let block = `Line ${lineNumber}: ${preview(line)}\n`;
    if (question) block += `  Question: ${question.type}, ${question.open ? 'open' : 'closed'}\n`;
    for (const { finding: f, replacement, kept } of phrases) {
      total++;
      byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + 1);
      if (kept) {
        block += `  • "${f.text}" (${f.category}): ${kept.advice}\n`;
        if (kept.reason === 'no-fit' && f.alternatives.length) block += `    Words that may fit: ${f.alternatives.map((a) => `"${a}"`).join(', ')}\n`;
      } else block += `  • "${f.text}" (${f.category}) → ${replacement === '' ? 'left out (the age is already there)' : `try "${replacement}"`}\n`;
      block += `    Why: ${f.why}\n`;
      if (f.preference) block += `    Note: ${f.preference}\n`;
    }
    if (findings.length) block += `  Reframed: ${shown}\n${shown.includes('[[') ? `  ${KEPT_MARKER_NOTE}\n` : ''}`;
    await write(block + '\n');
  }
  const tally = [...byCategory].map(([c, n]) => `${c} ${n}`).join(', ');
  await write(
    total === 0
      ? `No deficit phrasing found in ${countOf(lineNumber, 'line')}.${questions ? ` ${countOf(questions, 'question')}.` : ''}\n`
      : `${countOf(total, 'finding')} in ${countOf(lineNumber, 'line')}: ${tally}.${questions ? ` ${countOf(questions, 'question')}.` : ''}\n`,
  );
  return { findings: total };
}

function preview(line: string): string {
  const oneLine = line.trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…` : oneLine;
}
