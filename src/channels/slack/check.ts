// "Check language" on a note too long for one Slack message, shown in a modal: the findings with their
// reasons and alternatives, then the reworded note whole, to copy. A response_url takes at most five
// posts and a long check needs more, so a long answer never goes there in parts. Slack's limits bound
// what a modal shows (100 blocks, 3,000 characters a section); whatever does not fit is counted and
// said, never cut silently. Pure: builds views and messages, calls nothing.
import type { types as slack } from '@slack/bolt';
import { blocksOf, type BlockOf, type Reply } from '../../shapes/reply.ts';
import { LIMITS, mrkdwn, type SlackMessage } from './render.ts';
import type { NoteToCheck } from './translate.ts';

export const MODAL_LIMITS = {
  blocks: 100,
  section: 3_000,
  /** Characters of a modal's title and of its close button. */
  title: 24,
} as const;

/** A note up to this long is answered in one ephemeral message when the answer fits in one; a longer one gets a modal at once. */
export const SHORT_NOTE = 1_000;

const ELSEWHERE = "run `coach analyse` on the note, or paste it into the web chat's Check a note";

/** What a language check said, as the modal lays it out. */
export interface LanguageCheck {
  /** The line over the findings: "3 phrase(s) to reconsider:". */
  lead?: string;
  /** One per finding: the phrase, its alternative and the reason. */
  findings: string[];
  /** The note reworded, to copy. */
  reworded?: string;
  /** Anything else it said: that nothing was found, or why it could not check. */
  notes: string[];
}

/** The check's parts: the findings list, the reworded note, and any other paragraph. */
export function checkOf(reply: Reply): LanguageCheck {
  const parts = blocksOf(reply);
  const list = parts.find((part): part is BlockOf<'list'> => part.type === 'list');
  const quote = parts.find((part): part is BlockOf<'quote'> => part.type === 'quote');
  const reworded = quote?.text ?? reply.suggestions?.[0];
  return {
    ...(list?.lead && { lead: list.lead }),
    findings: list?.items ?? [],
    ...(reworded !== undefined && { reworded }),
    notes: parts.flatMap((part) => (part.type === 'paragraph' || part.type === 'notice' ? [part.text] : [])),
  };
}

// ---------------------------------------------------------------------------------------------
// The modal.

export function loadingView(): slack.ModalView {
  return modalNotice('Checking the language of this note…');
}

/** A modal that says one sentence. */
export function modalNotice(text: string): slack.ModalView {
  return modal([section(mrkdwn(text))]);
}

/** The whole check within a modal's 100 blocks, findings counted where they do not all fit. */
export function checkView(check: LanguageCheck, note: NoteToCheck): slack.ModalView {
  return modal(checkBlocks(check, note, MODAL_LIMITS.blocks));
}

export function checkBlocks(check: LanguageCheck, note: NoteToCheck, maxBlocks: number): slack.KnownBlock[] {
  const head = check.lead ? [section(`*${mrkdwn(check.lead)}*`)] : [];
  const notes = check.notes.filter((n) => n.trim()).flatMap((n) => fill(mrkdwn(n), MODAL_LIMITS.section).map(section));
  const tail: slack.KnownBlock[] = [];
  if (check.reworded !== undefined) {
    tail.push(section(note.unchecked ? '*Reworded* (the part checked), to copy:' : '*Reworded*, to copy:'));
    tail.push(...fill(check.reworded, MODAL_LIMITS.section).map(preformatted));
  }
  if (note.unchecked) tail.push(section(uncheckedSentence(note)));
  const lines = packLines(check.findings.map((f) => `• ${mrkdwn(f)}`), MODAL_LIMITS.section);
  const room = maxBlocks - head.length - notes.length - tail.length;
  const shown = lines.length <= room ? lines : lines.slice(0, Math.max(room - 1, 0));
  const hidden = check.findings.length - shown.reduce((n, s) => n + s.count, 0);
  const more = hidden > 0 ? [section(`${hidden} more ${hidden === 1 ? 'finding' : 'findings'} than a Slack window can hold: to see every one, ${ELSEWHERE}.`)] : [];
  return [...head, ...shown.map((s) => section(s.text)), ...more, ...notes, ...tail];
}

/**
 * The check as one ephemeral message, for when a modal cannot be opened: what fits in one message,
 * and an honest count of the rest with where to see it all.
 */
export function checkMessage(check: LanguageCheck, note: NoteToCheck): SlackMessage {
  const budget = LIMITS.messageText - 400; // room for the closing sentences
  const parts: string[] = [];
  let used = 0;
  const add = (text: string) => {
    parts.push(text);
    used += text.length + 1;
  };
  if (check.lead) add(`*${mrkdwn(check.lead)}*`);
  const lines = check.notes.flatMap((n) => n.split('\n')).filter((line) => line.trim()).map(mrkdwn);
  let kept = 0;
  while (kept < lines.length && used + lines[kept]!.length + 1 <= budget) add(lines[kept++]!);
  const left = lines.length - kept;
  if (left > 0) add(`${left} more ${left === 1 ? 'line' : 'lines'} of this check than one message can hold: to see it all, ${ELSEWHERE}.`);
  let shown = 0;
  for (const finding of check.findings) {
    const line = `• ${mrkdwn(finding)}`;
    if (used + line.length > budget) break;
    add(line);
    shown++;
  }
  const hidden = check.findings.length - shown;
  if (hidden > 0) add(`${hidden} more ${hidden === 1 ? 'finding' : 'findings'} than one message can hold: to see every one, ${ELSEWHERE}.`);
  const reworded = check.reworded !== undefined ? `\`\`\`${mrkdwn(check.reworded)}\`\`\`` : undefined;
  if (reworded && used + reworded.length <= budget + 300) add(`*Reworded*, to copy:\n${reworded}`);
  else if (reworded) add(`The reworded note is too long for one message here: ${ELSEWHERE}.`);
  if (note.unchecked) add(uncheckedSentence(note));
  const text = parts.join('\n');
  return { text, blocks: fill(text, LIMITS.section).map(section) };
}

/** What a note longer than one check takes is told: how much was checked, and how much was not. */
export function uncheckedSentence(note: NoteToCheck): string {
  const count = (n: number) => n.toLocaleString('en-GB');
  return `This note is longer than one check takes: I checked the first ${count(note.checked.length)} characters; the last ${count(note.unchecked)} were not checked. Check them on their own.`;
}

// ---------------------------------------------------------------------------------------------
// Building blocks.

function modal(blocks: slack.KnownBlock[]): slack.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Language check' },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

function section(text: string): slack.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** Text to copy exactly as it is: a preformatted rich-text block (literal, so nothing is escaped). */
function preformatted(text: string): slack.RichTextBlock {
  return { type: 'rich_text', elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text }] }] };
}

/** Lines packed into as few pieces of at most `max` characters as they fit in, in order. */
function packLines(lines: string[], max: number): { text: string; count: number }[] {
  const pieces: { text: string; count: number }[] = [];
  for (const line of lines.flatMap((l) => fill(l, max))) {
    const last = pieces.at(-1);
    if (last && last.text.length + 1 + line.length <= max) {
      last.text += `\n${line}`;
      last.count++;
    } else pieces.push({ text: line, count: 1 });
  }
  return pieces;
}

/**
 * Text in as few consecutive pieces of at most `max` characters as its words allow: each piece as
 * full as it can be, ending at the last space or line break that fits (inside a word only when one
 * word is longer than `max`, and never inside an escape such as &amp;). The pieces joined are the text.
 */
export function fill(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let end = Math.max(rest.lastIndexOf(' ', max - 1), rest.lastIndexOf('\n', max - 1)) + 1;
    if (end <= 0) {
      end = max;
      const amp = rest.lastIndexOf('&', end);
      if (amp > end - 6 && /^&(amp|lt|gt);/.test(rest.slice(amp))) end = amp;
    }
    pieces.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest || pieces.length === 0) pieces.push(rest);
  return pieces;
}
