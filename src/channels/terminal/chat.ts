// `coach chat`: the same engine in a terminal. Replies print as plain text; buttons are numbered
// ("[1] Next area  [2] Skip this area") so typing the number presses one; ideas are lettered, and
// typing the letter takes that idea as your draft. Works with piped input as well as at a prompt.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import wrapAnsi from 'wrap-ansi';
import { ConfigError, parseConfig } from '../../config.ts';
import { startCoach } from '../../content/compiled.ts';
import { createEngine } from '../../conversation/engine.ts';
import { createStore } from '../../conversation/create-store.ts';
import { failureOf } from '../../conversation/failures.ts';
import { MAX_TEXT, type AreaProgress, type Reply, type ReplyAction, type Turn } from '../../conversation/types.ts';
import { blocksOf, plainText } from '../../shapes/reply.ts';

export interface TerminalIo {
  /** Seeds the variety of ideas; fixed in tests so a transcript is the same every run. */
  seed?: () => number;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where start-up problems go; defaults to stderr. */
  error?: NodeJS.WritableStream;
}

const QUIT = new Set(['quit', 'exit', 'bye', ':q']);
/** Lines wrap here when the output is not a terminal that says how wide it is. */
const DEFAULT_WIDTH = 78;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const WELCOME = `Strengths Coach: rehearse a strengths-based conversation before a visit.
Type "rehearse" to start, "help" for everything I can do, "quit" (or Ctrl-D) to leave.
When I offer buttons, type their number; when I offer ideas, type their letter.
`;

/** What the last replies offered: numbered buttons and lettered ideas. */
interface Offer {
  actions: ReplyAction[];
  suggestions: string[];
}

export async function runTerminalChat(
  env: NodeJS.ProcessEnv,
  io: TerminalIo = { input: process.stdin, output: process.stdout },
): Promise<number> {
  const errors = io.error ?? process.stderr;
  let config;
  try {
    config = parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    errors.write(`coach chat: cannot start because of the settings:\n${error.problems.map((p) => `  - ${p}\n`).join('')}`);
    return 1;
  }
  const coach = await startCoach(config.promptsDir);
  const store = await createStore({ redisUrl: config.redisUrl, ...(config.redis && { redis: config.redis }), sessionTtlSeconds: config.sessionTtlSeconds });
  const engine = createEngine({ store, coach, seed: io.seed });

  const interactive = Boolean((io.input as { isTTY?: boolean }).isTTY && (io.output as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input: io.input, output: io.output, terminal: interactive, prompt: 'you> ' });
  rl.on('SIGINT', () => rl.close());
  // A reader that goes away (`coach chat | head`) ends the chat quietly instead of crashing it.
  let outputGone = false;
  const onOutputError = () => {
    outputGone = true;
    rl.close();
  };
  io.output.on('error', onOutputError);
  const width = () => Math.max(20, ((io.output as { columns?: number }).columns ?? DEFAULT_WIDTH) - 1);
  const say = (text: string) => {
    const wrapped = wrap(text, width());
    if (!outputGone) io.output.write(wrapped.endsWith('\n') ? wrapped : `${wrapped}\n`);
  };
  const conversation = `terminal:${randomUUID()}`;
  const user = `terminal:${localUser()}`;
  let offer: Offer = { actions: [], suggestions: [] };

  say(WELCOME);
  if (interactive) rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (QUIT.has(line.toLowerCase())) break;
      if (line) {
        const input = choose(line, offer);
        // Piped input is not shown by any terminal, so the transcript repeats it; at a prompt it is
        // already on screen and only a pressed button or a chosen idea needs naming.
        if (!interactive) say(`you> ${line}${input.echo ? ` (${input.echo})` : ''}`);
        else if (input.echo && input.draft === undefined) say(`(${input.echo})`);
        if (input.draft !== undefined && interactive) {
          // At a prompt, an idea becomes an editable draft, as a click does in the web chat.
          rl.prompt();
          rl.write(input.draft);
          continue;
        }
        if (input.problem) say(`${input.problem}\n`);
        else {
          const turn: Turn = { conversation, user, channel: 'terminal', messageId: randomUUID(), ...input.turn };
          const replies = await answer(engine, turn);
          if (replies) {
            say(render(replies, width()));
            offer = offered(replies);
          }
        }
      }
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
    await store.close();
  }
  say('Goodbye.');
  return 0;
}

interface Choice {
  turn: Pick<Turn, 'text' | 'action'>;
  /** Said instead of sending anything (a button number that is not on offer, an overlong message). */
  problem?: string;
  /** Shown before the replies, so the transcript says which button or idea was used. */
  echo?: string;
  /** An idea to put at the prompt for editing instead of sending. */
  draft?: string;
}

/** A bare number presses that button; a bare letter takes that idea; anything else is a message. */
function choose(line: string, offer: Offer): Choice {
  if (/^\d{1,2}$/.test(line) && offer.actions.length) {
    const action = offer.actions[Number(line) - 1];
    if (!action) {
      const range = offer.actions.length === 1 ? '1' : `1 to ${offer.actions.length}`;
      return { turn: {}, problem: `There is no button ${line} just now: type ${range}, or write a message.` };
    }
    return { turn: { action: { id: action.id, ...(action.value !== undefined && { value: action.value }) } }, echo: action.label };
  }
  if (/^[a-z]$/i.test(line)) {
    const suggestion = offer.suggestions[LETTERS.indexOf(line.toLowerCase())];
    if (suggestion) return { turn: { text: suggestion }, echo: `idea ${line.toLowerCase()}: ${suggestion}`, draft: suggestion };
  }
  if (line.length > MAX_TEXT) return { turn: {}, problem: `That message is longer than ${MAX_TEXT} characters; please shorten it.` };
  return { turn: { text: line } };
}

async function answer(engine: { handle(turn: Turn): Promise<Reply[]> }, turn: Turn): Promise<Reply[] | undefined> {
  try {
    return await engine.handle(turn);
  } catch (error) {
    return [notice(failureOf(error).sentence)];
  }
}

const notice = (text: string): Reply => ({ kind: 'error', text });

/** Buttons and ideas of this batch; a batch without any keeps nothing, so stale numbers do nothing. */
function offered(replies: Reply[]): Offer {
  return {
    actions: replies.flatMap((r) => r.actions ?? []),
    suggestions: replies.flatMap((r) => r.suggestions ?? []),
  };
}

/**
 * Plain text for a batch of replies, one renderer per block kind: numbering of buttons and letters
 * of ideas run across the batch. A list item that names one of the reply's buttons (the area menu)
 * is numbered where it is listed, and not listed again in the row of buttons; the items of an ideas
 * list are the reply's suggestions, in order, and are lettered.
 */
export function render(replies: Reply[], width = DEFAULT_WIDTH): string {
  const out: string[] = [];
  let letter = 0;
  let number = 0;
  let progressShown = false;
  for (const reply of replies) {
    const numbered = (reply.actions ?? []).map((action) => ({ action, number: ++number }));
    const listed = new Set<number>();
    const suggestions = reply.suggestions ?? [];
    let idea = 0;
    let pressed = 0; // the reply's actions are its choices blocks' actions, in order
    const parts: string[] = [];
    // The rehearsal's areas once per batch, above its first reply.
    if (reply.progress && !reply.summary && !progressShown) {
      parts.push(progressLine(reply.progress));
      progressShown = true;
    }
    const offerRest = () => {
      const rest = suggestions.slice(idea);
      if (rest.length) parts.push(`Ideas (type the letter to use one as your draft):\n${rest.map((s, i) => `  ${LETTERS[letter + idea + i] ?? '?'}) ${s}`).join('\n')}`);
      idea = suggestions.length;
    };
    for (const block of blocksOf(reply)) {
      switch (block.type) {
        case 'paragraph':
          parts.push(block.text);
          break;
        case 'notice':
          parts.push(block.tone === 'warning' ? `⚠ ${block.text}` : block.text);
          break;
        case 'quote':
          parts.push([...(block.label ? [block.label] : []), ...block.text.split('\n').map((line) => `  ${line}`)].join('\n'));
          break;
        case 'list': {
          const items = block.items.map((item, i) => {
            if (block.ideas && idea < suggestions.length) return `${LETTERS[letter + idea++] ?? '?'}) ${item}`;
            const button = numbered.find((a) => !listed.has(a.number) && (item === a.action.label || item.startsWith(`${a.action.label} (`)));
            if (button) {
              listed.add(button.number);
              return `[${button.number}] ${item}`;
            }
            return `${block.ordered ? `${i + 1}.` : '•'} ${item}`;
          });
          parts.push([...(block.lead !== undefined ? [block.lead] : []), ...items].join('\n'));
          break;
        }
        case 'chart':
        case 'sections': {
          // A summary's plain text between rules: headings, bullets and the chart's bars, no Markdown syntax to read past.
          const rule = '─'.repeat(Math.min(40, width));
          parts.push(`${rule}\n${plainText([block])}\n${rule}`);
          break;
        }
        case 'choices': {
          offerRest();
          const mine = numbered.slice(pressed, (pressed += block.actions.length));
          const shown = mine.filter((a) => !listed.has(a.number));
          if (shown.length) parts.push(wrapButtons(shown.map((a) => `[${a.number}] ${a.action.label}`), width));
          break;
        }
      }
    }
    offerRest();
    letter += suggestions.length;
    out.push(parts.join('\n\n'));
  }
  return `\n${out.join('\n\n')}\n`;
}

const PROGRESS_MARKS: Record<AreaProgress['state'], string> = { done: '✓', skipped: '–', current: '▸', todo: '○' };

/** "Areas: ✓ done · ▸ the current one · – skipped · ○ to do", each area by its title. */
function progressLine(progress: AreaProgress[]): string {
  return `Areas (✓ done, ▸ now, – skipped, ○ to do): ${progress.map((a) => `${PROGRESS_MARKS[a.state]} ${a.title}`).join(' · ')}`;
}

function wrapButtons(buttons: string[], width: number): string {
  const lines: string[] = [];
  let current = '';
  for (const button of buttons) {
    if (current && current.length + 2 + button.length > width) {
      lines.push(current);
      current = button;
    } else {
      current = current ? `${current}  ${button}` : button;
    }
  }
  if (current) lines.push(current);
  return lines.join('\n');
}

/**
 * Wraps each line at word boundaries to the width; a bullet, lettered idea or numbered button keeps
 * its text aligned after the marker on the lines it continues onto. A word longer than the width
 * is the only thing ever broken.
 */
export function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const marker = /^([ \t]*(?:[•*-]|[a-z]\)|\[\d+\])[ \t]+)/.exec(line)?.[1] ?? /^[ \t]*/.exec(line)![0];
      const body = line.slice(marker.length);
      const room = Math.max(10, width - marker.length);
      const wrapped = wrapAnsi(body, room, { hard: true }).split('\n');
      return wrapped.map((part, i) => (i === 0 ? marker : ' '.repeat(marker.length)) + part.trimEnd()).join('\n');
    })
    .join('\n');
}

function localUser(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}
