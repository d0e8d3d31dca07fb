// Scores the coach against a labelled set: used by the quality test and handy from the shell.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import type { Coach } from '../../src/coach/index.ts';
import { category, questionTypeId } from '../../src/content/schemas.ts';

const sentenceSet = z.array(
  z.strictObject({
    text: z.string(),
    /** `new`: a term the vocabulary lacked when a blind set was written. */
    expect: z.array(z.strictObject({ phrase: z.string(), category, new: z.boolean().optional() })),
  }),
);
const questionSet = z.array(
  z.strictObject({
    text: z.string(),
    type: z.union([questionTypeId, z.literal('other'), z.null()]),
    open: z.boolean().optional(),
    /** Typed as people type in chat: lower case, no question mark, abbreviations. */
    chat: z.boolean().optional(),
  }),
);

export function readSentences(path: string) {
  return sentenceSet.parse(YAML.parse(readFileSync(path, 'utf8')));
}
export function readQuestions(path: string) {
  return questionSet.parse(YAML.parse(readFileSync(path, 'utf8')));
}

export interface PhrasingScore {
  precision: number;
  recall: number;
  /** Recall on the terms the vocabulary already held, and on those it lacked (`new`), when a set marks them. */
  recallListed: number;
  recallNew: number;
  newTotal: number;
  categoryAgreement: number;
  misses: string[];
  falseAlarms: string[];
}

/** A finding is right when it overlaps an expected phrase; an expected phrase is found when a finding overlaps it. */
export function scorePhrasing(coach: Coach, items: ReturnType<typeof readSentences>): PhrasingScore {
  let tp = 0, fp = 0, found = 0, expected = 0, sameCategory = 0, newFound = 0, newExpected = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const item of items) {
    const findings = coach.findDeficitPhrasing(item.text);
    const spans = item.expect.map((e) => {
      const start = item.text.indexOf(e.phrase);
      return { start, end: start + e.phrase.length, ...e };
    });
    for (const f of findings) {
      const hit = spans.find((s) => f.start < s.end && s.start < f.end);
      if (hit) {
        tp++;
        if (hit.category === f.category) sameCategory++;
      } else {
        fp++;
        falseAlarms.push(`"${f.text}" in: ${item.text}`);
      }
    }
    for (const s of spans) {
      expected++;
      if (s.new) newExpected++;
      if (findings.some((f) => f.start < s.end && s.start < f.end)) {
        found++;
        if (s.new) newFound++;
      } else misses.push(`"${s.phrase}" (${s.category}) in: ${item.text}`);
    }
  }
  return {
    precision: tp / Math.max(1, tp + fp),
    recall: found / Math.max(1, expected),
    recallListed: (found - newFound) / Math.max(1, expected - newExpected),
    recallNew: newFound / Math.max(1, newExpected),
    newTotal: newExpected,
    categoryAgreement: sameCategory / Math.max(1, tp),
    misses,
    falseAlarms,
  };
}

export interface QuestionScore {
  typeAccuracy: number;
  openAccuracy: number;
  detectionAccuracy: number;
  /** Open/closed over the items marked `chat`, and how many there were. */
  chatOpenAccuracy: number;
  chatTotal: number;
  wrong: string[];
}

/** Type accuracy over every item (null included); open/closed over the items that are questions. */
export function scoreQuestions(coach: Coach, items: ReturnType<typeof readQuestions>): QuestionScore {
  let typeRight = 0, openRight = 0, openTotal = 0, detected = 0, chatRight = 0, chatTotal = 0;
  const wrong: string[] = [];
  for (const item of items) {
    const got = coach.classifyQuestion(item.text);
    const gotType = got ? got.type : null;
    if ((got === null) === (item.type === null)) detected++;
    if (gotType === item.type) typeRight++;
    else wrong.push(`type ${gotType} ≠ ${item.type}: ${item.text}`);
    if (item.type !== null && item.open !== undefined) {
      openTotal++;
      if (item.chat) chatTotal++;
      if (got && got.open === item.open) {
        openRight++;
        if (item.chat) chatRight++;
      } else wrong.push(`open ${got?.open} ≠ ${item.open}: ${item.text}`);
    }
  }
  return {
    typeAccuracy: typeRight / items.length,
    openAccuracy: openRight / Math.max(1, openTotal),
    detectionAccuracy: detected / items.length,
    chatOpenAccuracy: chatRight / Math.max(1, chatTotal),
    chatTotal,
    wrong,
  };
}
