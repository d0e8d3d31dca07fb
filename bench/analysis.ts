// The analysis benchmark: how long the coach takes to check one case note (language check, question
// classifier and the reframed draft), next to alex, the general insensitive-language linter, on the
// same notes in the same process. The notes are made up, deterministically, from sentences in the
// style of UK adult social care recording: some clean, some with deficit phrasing, a question or two.
//
// It reports; it never fails. The project's target (the coach at least 50× faster than alex per note)
// is printed as met or not met, and that is all.
import { readFileSync } from 'node:fs';
import { text as alexText } from 'alex';
import { seededRandom } from '../src/coach/random.ts';
import { loadCoach } from '../src/content/index.ts';
import type { Benchmark, BenchContext, BenchReport, SummaryRow } from './run.ts';

/** The project's stated target: the coach at least this many times faster than alex per note. */
export const TARGET_RATIO = 50;

export interface NoteSize {
  label: string;
  /** Characters aimed for; notes land within a few per cent of it. */
  chars: number;
}

export const DEFAULT_SIZES: readonly NoteSize[] = [
  { label: '~600 chars', chars: 600 },
  { label: '~2,000 chars', chars: 2000 },
];

export interface AnalysisOptions {
  /** Seed of the note generator: the same seed, the same notes. */
  seed?: number;
  /** Distinct notes generated per size. */
  notesPerSize?: number;
  /** Measured time each tool gets per size (the sum of its per-note times), in milliseconds. */
  budgetMs?: number;
  /** Each tool checks at least this many notes per size, however long it takes. */
  minNotes?: number;
  /** Untimed warm-up per tool per size, after one untimed pass over the corpus. */
  warmupMs?: number;
  sizes?: readonly NoteSize[];
  log?: (line?: string) => void;
}

export interface ToolStats {
  tool: 'coach' | 'alex';
  /** Notes checked in the timed phase (the corpus is cycled through). */
  notes: number;
  /** Sum of the per-note times, in milliseconds. */
  measuredMs: number;
  /** Notes per second, one note after another on one thread: 1 / mean. */
  notesPerSecond: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Findings reported over one pass of the corpus (untimed); information, not a score. */
  findings: number;
  /** The commonest findings by entry (coach) or rule (alex), most first. */
  topFindings: [string, number][];
}

export interface SizeResult {
  size: NoteSize;
  notes: number;
  minChars: number;
  meanChars: number;
  maxChars: number;
  /** Corpus notes in which the coach found a question. */
  questions: number;
  coach: ToolStats;
  alex: ToolStats;
  /** How many times faster the coach is per note: alex's figure over the coach's. */
  ratioMean: number;
  ratioP50: number;
  ratioP99: number;
  /** Interleaved rounds (one slice of each tool) in the timed phase. */
  rounds: number;
}

export interface AnalysisResult {
  seed: number;
  budgetMs: number;
  minNotes: number;
  sliceMs: number;
  coachLoadMs: number;
  sizes: SizeResult[];
  /** Met when the coach is at least TARGET_RATIO× faster than alex by mean per note at every size. */
  targetMet: boolean;
  /** Peak resident set size of the process so far, in MiB. */
  maxRssMiB: number;
  /** Folded from every result, so no call can be optimised away. */
  checksum: number;
}

// ---------------------------------------------------------------------------------------------------
// The notes

interface Person {
  name: string;
  he: string;
  his: string;
  him: string;
}

const PEOPLE: readonly Person[] = [
  ...['Mrs P', 'Ms D', 'Mrs A', 'Miss T', 'Mrs W', 'Ms O', 'Mrs H', 'Ms B'].map((name) => ({ name, he: 'she', his: 'her', him: 'her' })),
  ...['Mr K', 'Mr S', 'Mr J', 'Mr R', 'Mr L', 'Mr M', 'Mr C', 'Mr E'].map((name) => ({ name, he: 'he', his: 'his', him: 'him' })),
];

const RELATIVES = ['daughter', 'son', 'niece', 'nephew', 'neighbour', 'partner', 'granddaughter', 'friend from church'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// Placeholders: {N} the person, {he} {his} {him} (and capitalised), {rel} a relative or friend, {date}.
const HEADERS = [
  'Home visit, {date}. Care Act assessment review with {N} and {his} {rel}.',
  'Telephone review, {date}. Spoke with {N}; {his} {rel} joined on speaker.',
  'Joint visit with the occupational therapist, {date}, at {N}\'s flat.',
  'Hospital discharge follow-up, {date}, at home with {N}.',
  'Visit to {N} at the extra care scheme, {date}.',
  'Six-week reablement review, {date}. Present: {N}, {his} {rel}, reablement lead.',
  'Unannounced visit, {date}, following a call from {N}\'s {rel}.',
];

const CLEAN = [
  '{N} greeted me at the door and made us both a cup of tea.',
  '{He} told me {he} has lived in the same street for over forty years and knows most of the neighbours by name.',
  '{His} {rel} visits most evenings and helps with the shopping at the weekend.',
  '{N} enjoys the radio in the mornings and follows the cricket closely.',
  '{He} said the most important thing for {him} is to stay in {his} own home.',
  'We talked about what a good day looks like for {him}: dressed by ten, a walk to the corner shop and a phone call with {his} sister.',
  '{He} manages {his} own medication from a blister pack and keeps a list of it on the fridge.',
  'The district nurse visits twice a week to dress {his} leg ulcer.',
  '{N} goes to the lunch club at the community centre on Tuesdays and Thursdays and says it is the best part of the week.',
  '{He} would like help with bathing, as getting in and out of the bath has become hard since the fall in March.',
  'The OT recommended a bath lift and a grab rail by the front door, and {N} agreed to both.',
  '{He} uses a walking frame indoors and a mobility scooter to get to the shops.',
  '{N} worked as a bus driver for thirty years and still enjoys talking about the old routes.',
  '{He} keeps in touch with {his} grandchildren by video call on Sunday afternoons.',
  '{His} {rel} holds lasting power of attorney for property and financial affairs.',
  '{N} would prefer carers to come after nine, as {he} likes a slow start to the day.',
  'We agreed to look at a direct payment so that {N} can employ a personal assistant {he} already knows.',
  '{He} was clear that {he} does not want to move into a care home.',
  '{N} has a diagnosis of vascular dementia and finds it helps to keep to a routine.',
  '{He} has a key safe and a pendant alarm, which {he} wears during the day.',
  '{N} cooks simple meals and has a hot meal delivered on weekdays.',
  '{He} has felt low since {his} dog died last autumn and would like to think about volunteering at the animal rescue.',
  '{His} {rel} said {he} has been sleeping better since the new mattress arrived.',
  '{N} is proud of {his} garden and showed me the tomatoes {he} grew this year.',
  '{He} goes to church every Sunday, and a neighbour gives {him} a lift.',
  'I explained the financial assessment and left a copy of the charging policy.',
  '{N} agreed to a referral to the falls prevention service.',
  '{He} said {he} feels safest when {he} knows who is coming and when.',
  'We discussed a carer\'s assessment for {his} {rel}, who would welcome a break now and then.',
  'Next review booked for six weeks\' time; {N} has my direct number.',
  '{He} wears a hearing aid and asks people to face {him} when they speak.',
  '{N} reads the paper each morning and does the crossword over the phone with {his} {rel}.',
  'Pharmacy to move {his} tablets to a larger print label, at {his} request.',
];

const DEFICIT = [
  '{N} wanders at night and has been found in the garden in {his} nightclothes.',
  '{N} is wheelchair-bound and relies on {his} {rel} for all transfers.',
  '{N} is a vulnerable adult living alone.',
  '{He} refuses personal care and will not let the carers help {him} wash.',
  '{His} {rel} feels {he} is not coping at home since the hospital admission.',
  '{N} is fiercely independent and turned down the offer of a care package.',
  '{N} suffers from dementia and is often confused in the afternoons.',
  '{He} is housebound and has not been out since the winter.',
  '{N} was non-compliant with {his} medication last month, according to the GP.',
  'The carers describe {him} as demanding and say {he} rings the office several times a day.',
  '{He} became aggressive when the agency sent a new carer without warning.',
  '{N} is a diabetic and needs prompting with insulin.',
  '{He} can be attention-seeking when {his} {rel} leaves.',
  'The ward described {him} as a bed blocker while {he} waited for the package to start.',
  '{N} is elderly and frail and at high risk of falls.',
  '{He} absconded from the respite unit on the second night.',
  '{N} lacks insight into {his} care needs.',
  '{He} is an alcoholic and drinks most afternoons.',
  '{N} is a stroke victim with weakness down {his} left side.',
  '{He} is resistant to change and uncooperative with the OT.',
  '{N} kicks off when the routine changes.',
  '{He} is unmotivated and spends most of the day in bed.',
  '{N} is a hoarder and the back bedroom is full of newspapers.',
  '{He} is needy and phones {his} {rel} constantly.',
  '{N} has been confined to a wheelchair since the amputation.',
  '{He} displays challenging behaviour in the evenings.',
  '{N} suffers from depression and anxiety.',
  '{He} is very vulnerable and at risk of financial abuse from a neighbour.',
  'Concern that {N} is not coping with the stairs and is struggling to manage at home.',
];

const QUESTIONS = [
  'I asked {him}, "What has helped you get through the last few months?"',
  'I asked, "Who do you turn to when things are hard?"',
  '"On a scale of 0 to 10, where would you say things are today?" {He} said a six.',
  'I asked, "If you woke up tomorrow and things were better, what would be the first thing you noticed?"',
  'I asked, "When did the mornings last go well, and what was different then?"',
  'I asked {him}, "What would you like to be doing in six months\' time?"',
  'I asked {his} {rel}, "What does {N} do that makes you proud?"',
  '"Do you want the carers to come earlier?" {He} said no.',
  'I asked, "How have you kept going through all of this?"',
  'I asked {him}, "Who else could help with the shopping?"',
];

export const SENTENCE_POOL = { headers: HEADERS.length, clean: CLEAN.length, deficit: DEFICIT.length, questions: QUESTIONS.length };

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function fill(template: string, person: Person, rel: string, date: string): string {
  return template.replace(/\{(N|he|He|his|His|him|rel|date)\}/g, (_, key: string) => {
    switch (key) {
      case 'N': return person.name;
      case 'he': return person.he;
      case 'He': return capitalise(person.he);
      case 'his': return person.his;
      case 'His': return capitalise(person.his);
      case 'him': return person.him;
      case 'rel': return rel;
      default: return date;
    }
  });
}

/** Share of body sentences drawn from the deficit pool. */
const DEFICIT_SHARE = 0.4;

function makeNote(random: () => number, chars: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const person = pick(PEOPLE);
  const rel = pick(RELATIVES);
  const date = `${1 + Math.floor(random() * 28)} ${pick(MONTHS)}`;
  const say = (template: string) => fill(template, person, rel, date);

  const header = say(pick(HEADERS));
  const questionCount = chars >= 1200 ? 2 : 1;
  const questions: string[] = [];
  const askable = [...QUESTIONS];
  while (questions.length < questionCount) questions.push(say(askable.splice(Math.floor(random() * askable.length), 1)[0]!));

  // Body sentences, without repeats, until the note is about the size wanted.
  const clean = [...CLEAN];
  const deficit = [...DEFICIT];
  const body: string[] = [];
  let length = header.length + questions.reduce((n, q) => n + q.length + 1, 0);
  const low = chars * 0.97;
  const high = chars * 1.04;
  while (length < low && (clean.length || deficit.length)) {
    let chosen: string | undefined;
    for (let attempt = 0; attempt < 6 && chosen === undefined; attempt++) {
      const pool = (random() < DEFICIT_SHARE && deficit.length) || !clean.length ? deficit : clean;
      const index = Math.floor(random() * pool.length);
      const sentence = say(pool[index]!);
      if (length + 1 + sentence.length <= high || attempt === 5) {
        pool.splice(index, 1);
        chosen = sentence;
      }
    }
    body.push(chosen!);
    length += 1 + chosen!.length;
  }
  for (const q of questions) body.splice(Math.floor(random() * (body.length + 1)), 0, q);

  // Paragraphs of three to five sentences, as people write them.
  let out = header;
  let inParagraph = 0;
  let paragraphSize = 3 + Math.floor(random() * 3);
  for (const sentence of body) {
    if (inParagraph === paragraphSize) {
      out += '\n\n' + sentence;
      inParagraph = 1;
      paragraphSize = 3 + Math.floor(random() * 3);
    } else {
      out += (out === header ? '\n\n' : ' ') + sentence;
      inParagraph++;
    }
  }
  return out;
}

/** `count` distinct notes of about `chars` characters; the same seed gives the same notes. */
export function generateNotes(seed: number, chars: number, count: number): string[] {
  const random = seededRandom(seed);
  const notes = new Set<string>();
  for (let attempts = 0; notes.size < count; attempts++) {
    if (attempts > count * 20) throw new Error(`could not make ${count} distinct notes of ~${chars} chars`);
    notes.add(makeNote(random, chars));
  }
  return [...notes];
}

// ---------------------------------------------------------------------------------------------------
// The measurement

interface Tool {
  name: 'coach' | 'alex';
  /** Checks one note; returns a number derived from the result so the work cannot be skipped. */
  check(note: string): number;
}

/** Per-note times in nanoseconds, in a growing typed array (no boxing, one copy to sort at the end). */
class Samples {
  private data = new Float64Array(4096);
  length = 0;
  totalNs = 0;

  push(ns: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = ns;
    this.totalNs += ns;
  }

  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

interface Cursor {
  at: number;
}

/**
 * Checks notes one after another, from the cursor on, for about `sliceNs` (at least one note), timing
 * each; returns a checksum of the results.
 */
function runSlice(tool: Tool, notes: readonly string[], cursor: Cursor, sliceNs: bigint, samples: Samples | null): number {
  let sink = 0;
  const deadline = process.hrtime.bigint() + sliceNs;
  for (;;) {
    const note = notes[cursor.at]!;
    cursor.at = (cursor.at + 1) % notes.length;
    const t0 = process.hrtime.bigint();
    sink += tool.check(note);
    const t1 = process.hrtime.bigint();
    samples?.push(Number(t1 - t0));
    if (t1 >= deadline) return sink;
  }
}

function stats(tool: Tool['name'], samples: Samples, findings: number, top: [string, number][]): ToolStats {
  const sorted = samples.sorted();
  const meanNs = samples.totalNs / samples.length;
  return {
    tool,
    notes: samples.length,
    measuredMs: samples.totalNs / 1e6,
    notesPerSecond: 1e9 / meanNs,
    meanUs: meanNs / 1e3,
    p50Us: percentile(sorted, 0.5) / 1e3,
    p99Us: percentile(sorted, 0.99) / 1e3,
    maxUs: sorted[sorted.length - 1]! / 1e3,
    findings,
    topFindings: top,
  };
}

function topCounts(counts: Map<string, number>, n: number): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}

export async function runAnalysisBenchmark(options: AnalysisOptions = {}): Promise<AnalysisResult> {
  const seed = options.seed ?? 20_240_611;
  const notesPerSize = options.notesPerSize ?? 200;
  const budgetMs = options.budgetMs ?? 3000;
  const minNotes = options.minNotes ?? notesPerSize;
  const warmupMs = options.warmupMs ?? Math.min(500, budgetMs);
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const log = options.log ?? (() => {});
  // Short slices alternate the tools often enough that drift (JIT, GC, CPU clock) falls on both.
  const sliceMs = Math.min(100, Math.max(1, budgetMs / 20));
  const sliceNs = BigInt(Math.round(sliceMs * 1e6));
  const budgetNs = budgetMs * 1e6;

  const loadStart = process.hrtime.bigint();
  const coach = loadCoach();
  const coachLoadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

  const tools: Tool[] = [
    {
      name: 'coach',
      // One analysis: what `coach analyse` shows for a note — findings, question and the reframed draft, from one scan.
      check(note) {
        const analysis = coach.analyse(note);
        return analysis.findings.length + (analysis.question ? 1 : 0) + (analysis.text.length & 1);
      },
    },
    {
      name: 'alex',
      // alex's documented plain-text entry point, default configuration.
      check(note) {
        return alexText(note).messages.length;
      },
    },
  ];

  let checksum = 0;
  const results: SizeResult[] = [];
  for (const [sizeIndex, size] of sizes.entries()) {
    const notes = generateNotes(seed + sizeIndex, size.chars, notesPerSize);
    const lengths = notes.map((n) => n.length);

    // One untimed pass of both tools over the whole corpus: the findings tally, and a first warm-up.
    const coachCounts = new Map<string, number>();
    const alexCounts = new Map<string, number>();
    let coachFindings = 0;
    let alexFindings = 0;
    let questions = 0;
    for (const note of notes) {
      const analysis = coach.analyse(note);
      checksum += analysis.text.length & 1;
      coachFindings += analysis.findings.length;
      if (analysis.question) questions++;
      for (const f of analysis.findings) coachCounts.set(f.entry, (coachCounts.get(f.entry) ?? 0) + 1);
      const messages = alexText(note).messages;
      alexFindings += messages.length;
      for (const m of messages) {
        const rule = m.ruleId ?? m.source ?? 'other';
        alexCounts.set(rule, (alexCounts.get(rule) ?? 0) + 1);
      }
    }

    // Untimed warm-up, interleaved, then the timed phase, interleaved: one slice of each tool per
    // round, the order swapped every round, until each tool has its budget and its minimum of notes.
    const cursors: Cursor[] = tools.map(() => ({ at: 0 }));
    const warmupNs = BigInt(Math.round(warmupMs * 1e6));
    if (warmupNs > 0n) for (const [i, tool] of tools.entries()) checksum += runSlice(tool, notes, cursors[i]!, warmupNs, null);

    const samples = tools.map(() => new Samples());
    const done = (i: number) => samples[i]!.totalNs >= budgetNs && samples[i]!.length >= minNotes;
    let rounds = 0;
    while (!tools.every((_, i) => done(i))) {
      const order = rounds % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        if (!done(i)) checksum += runSlice(tools[i]!, notes, cursors[i]!, sliceNs, samples[i]!);
      }
      rounds++;
      // Let timers and I/O run between rounds; the benchmark should not starve the process.
      if (rounds % 10 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }

    const coachStats = stats('coach', samples[0]!, coachFindings, topCounts(coachCounts, 4));
    const alexStats = stats('alex', samples[1]!, alexFindings, topCounts(alexCounts, 4));
    const result: SizeResult = {
      size,
      notes: notes.length,
      minChars: Math.min(...lengths),
      meanChars: lengths.reduce((a, b) => a + b, 0) / lengths.length,
      maxChars: Math.max(...lengths),
      questions,
      coach: coachStats,
      alex: alexStats,
      ratioMean: alexStats.meanUs / coachStats.meanUs,
      ratioP50: alexStats.p50Us / coachStats.p50Us,
      ratioP99: alexStats.p99Us / coachStats.p99Us,
      rounds,
    };
    results.push(result);
    log();
    for (const line of sizeReport(result)) log(line);
  }

  return {
    seed,
    budgetMs,
    minNotes,
    sliceMs,
    coachLoadMs,
    sizes: results,
    targetMet: results.every((r) => r.ratioMean >= TARGET_RATIO),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    checksum,
  };
}

// ---------------------------------------------------------------------------------------------------
// The report

const int = (n: number): string => Math.round(n).toLocaleString('en-GB');

/** A duration given in microseconds, in µs below a millisecond and in ms above. */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return 'n/a';
  if (us < 10) return `${us.toFixed(2)} µs`;
  if (us < 1000) return `${us.toFixed(1)} µs`;
  if (us < 10_000) return `${(us / 1000).toFixed(2)} ms`;
  return `${(us / 1000).toFixed(1)} ms`;
}

const ratio = (r: number): string => (r >= 100 ? `${int(r)}×` : `${r.toFixed(1)}×`);
const verdict = (r: number): string => (r >= TARGET_RATIO ? 'met' : 'NOT met');

function sizeReport(r: SizeResult): string[] {
  const row = (cells: string[]) => `  ${cells[0]!.padEnd(6)}${cells.slice(1).map((c) => c.padStart(13)).join('')}`;
  const toolRow = (s: ToolStats) =>
    row([s.tool, int(s.notes), int(s.notesPerSecond), formatUs(s.meanUs), formatUs(s.p50Us), formatUs(s.p99Us), formatUs(s.maxUs)]);
  const top = (s: ToolStats) => s.topFindings.map(([k, n]) => `${k} ${int(n)}`).join(', ');
  return [
    `${r.size.label}: ${r.notes} notes, ${int(r.minChars)}–${int(r.maxChars)} chars (mean ${int(r.meanChars)}), ${r.rounds} interleaved rounds`,
    row(['tool', 'notes timed', 'notes/s', 'mean', 'p50', 'p99', 'max']),
    toolRow(r.coach),
    toolRow(r.alex),
    `  coach vs alex per note: ${ratio(r.ratioMean)} faster by mean, ${ratio(r.ratioP50)} at p50, ${ratio(r.ratioP99)} at p99` +
      ` (target ≥${TARGET_RATIO}×: ${verdict(r.ratioMean)} by mean, ${verdict(r.ratioP99)} at p99)`,
    `  findings over the ${r.notes} notes (information, not a score):`,
    `    coach ${int(r.coach.findings)} (${top(r.coach)}, …); a question found in ${int(r.questions)} notes`,
    `    alex  ${int(r.alex.findings)} (${top(r.alex)}, …)`,
  ];
}

/** The benchmark as the runner sees it; `options` are for a quicker run (the smoke test). */
export function createAnalysisBenchmark(options: Omit<AnalysisOptions, 'log'> = {}): Benchmark {
  return {
    name: 'analysis',
    title: 'Analysing a case note: the coach (findings, question, reframed draft) vs alex',
    async run(ctx: BenchContext): Promise<BenchReport> {
      const alexVersion = (JSON.parse(readFileSync(new URL('../node_modules/alex/package.json', import.meta.url), 'utf8')) as { version: string }).version;
      const sizes = options.sizes ?? DEFAULT_SIZES;
      const notesPerSize = options.notesPerSize ?? 200;
      const budgetMs = options.budgetMs ?? 3000;
      ctx.log(
        `Corpus: ${notesPerSize} distinct notes per size (${sizes.map((s) => s.label).join(', ')}), seeded, from ` +
          `${SENTENCE_POOL.clean} clean, ${SENTENCE_POOL.deficit} deficit-phrasing and ${SENTENCE_POOL.questions} question sentences.`,
      );
      ctx.log(`coach: analyse(note) — findings, question type and the reframed draft from one scan. alex ${alexVersion}: text(note), plain text, default config.`);
      ctx.log(
        `Method: one process; an untimed pass over the corpus and a warm-up for each tool, then alternating slices ` +
          `(order swapped each round) until each tool has ${int(budgetMs)} ms of measured time and at least ` +
          `${int(options.minNotes ?? notesPerSize)} notes. Per-note times from process.hrtime.bigint().`,
      );

      const result = await runAnalysisBenchmark({ ...options, log: ctx.log });

      ctx.log();
      ctx.log(
        `Target (coach ≥${TARGET_RATIO}× faster than alex per note, by mean): ${result.targetMet ? 'met' : 'NOT met'} ` +
          `at ${result.targetMet ? 'every size' : 'one size or more'}. (Reported only; speed never fails the run.)`,
      );
      ctx.log(`Coach loaded in ${result.coachLoadMs.toFixed(0)} ms; peak RSS ${result.maxRssMiB.toFixed(0)} MiB; checksum ${result.checksum}.`);

      const rows: SummaryRow[] = [];
      for (const r of result.sizes) {
        rows.push({
          case: `coach, note ${r.size.label}`,
          throughput: `${int(r.coach.notesPerSecond)} notes/s`,
          p50: formatUs(r.coach.p50Us),
          p99: formatUs(r.coach.p99Us),
          notes: `${ratio(r.ratioMean)} alex by mean, ${ratio(r.ratioP99)} at p99; target ≥${TARGET_RATIO}×: ${verdict(r.ratioMean)}`,
        });
        rows.push({
          case: `alex, note ${r.size.label}`,
          throughput: `${int(r.alex.notesPerSecond)} notes/s`,
          p50: formatUs(r.alex.p50Us),
          p99: formatUs(r.alex.p99Us),
          notes: 'baseline',
        });
      }
      return { rows, data: result };
    },
  };
}

export const analysisBenchmark: Benchmark = createAnalysisBenchmark();
