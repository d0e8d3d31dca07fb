// The App Home tab: what the coach does, how to use it, this person's recent rehearsals, and a
// "Forget my data" button. Only the viewer's own private rehearsals are ever listed.
import type { types as slack } from '@slack/bolt';
import type { SessionListing, SessionStore } from '../../conversation/store.ts';
import { forgetConfirmation, mrkdwn } from './render.ts';

export interface RehearsalLine {
  purpose?: string;
  /** Where it stands: the area or step it is on, or "finished". */
  step: string;
  questions: number;
  updatedAt: number;
}

const STEP_NAMES: Record<string, string> = {
  purpose: 'just started',
  choosing: 'choosing an area',
  area: 'working through the areas',
  affirming: 'affirmations',
  planning: 'next steps',
  summary: 'finished, with a summary',
};

/**
 * The person's rehearsals, newest first: only those they alone took part in (their DM), so a
 * conversation shared with anyone else is never shown here.
 */
export async function recentRehearsals(store: SessionStore, user: string, limit = 5): Promise<RehearsalLine[]> {
  if (!store.listSessions) return [];
  const sessions = await store.listSessions(user, 20);
  return sessions
    .filter((s) => s.record.flow === 'rehearsal' && s.record.users.length === 1 && s.record.users[0] === user)
    .slice(0, limit)
    .map(describe);
}

function describe(session: SessionListing): RehearsalLine {
  const snapshot = (session.record.snapshot ?? {}) as { value?: unknown; context?: { purpose?: unknown; questions?: unknown } };
  const value = typeof snapshot.value === 'string' ? snapshot.value : '';
  const purpose = typeof snapshot.context?.purpose === 'string' ? snapshot.context.purpose : undefined;
  const questions = Array.isArray(snapshot.context?.questions) ? snapshot.context.questions.length : 0;
  return { ...(purpose && { purpose }), step: STEP_NAMES[value] ?? 'in progress', questions, updatedAt: session.updatedAt };
}

export interface HomeOptions {
  rehearsals: RehearsalLine[];
  /** A line at the top, e.g. after the data was erased. */
  notice?: string;
}

export function homeView({ rehearsals, notice }: HomeOptions): slack.HomeView {
  const blocks: slack.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Strengths Coach', emoji: true } },
    ...(notice ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `:white_check_mark: ${mrkdwn(notice)}` }] } as slack.ContextBlock] : []),
    section(
      'I help you hold *strengths-based conversations* in adult social care: rehearse a visit area by area ' +
        '(the person’s own strengths, their network, their community, their worries, their hopes), get question ' +
        'ideas by type, and reframe deficit phrasing in a case note. I coach your practice; I don’t assess ' +
        'eligibility or replace supervision.',
    ),
    section(
      '*How to use me*\n' +
        '• *Message me* here in Messages: say `rehearse`, `ideas network`, `reframe <text>` or `help`.\n' +
        '• */coach <words>* anywhere, e.g. `/coach ideas scaling` — the answer is shown only to you.\n' +
        '• In a case thread: */coach rehearse*, or the message shortcut *Rehearse for this case*, rehearses privately ' +
        'with me in a DM; at the end you choose whether the summary goes to that thread.\n' +
        '• The message shortcut *Check language* checks any message, privately, and gives you a reframed version to copy.\n' +
        '• *@mention me* in a thread and I answer there.\n' +
        'Use initials, not names, and leave out addresses, dates of birth and NHS numbers.',
    ),
    {
      type: 'actions',
      block_id: 'home-start',
      elements: [{ type: 'button', action_id: 'rehearse~0', text: { type: 'plain_text', text: 'Start a rehearsal' }, style: 'primary' }],
    },
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Your recent rehearsals', emoji: true } },
    ...(rehearsals.length ? rehearsals.map(rehearsalBlock) : [section('None yet. Start one above, or from a case thread.')]),
    { type: 'divider' },
    section('*Your data*\nI keep a rehearsal only while you need it (a week after you last use it). You can erase everything now.'),
    {
      type: 'actions',
      block_id: 'home-forget',
      elements: [
        { type: 'button', action_id: 'forget~0', text: { type: 'plain_text', text: 'Forget my data' }, style: 'danger', confirm: forgetConfirmation() },
      ],
    },
  ];
  return { type: 'home', blocks };
}

function rehearsalBlock(line: RehearsalLine): slack.KnownBlock {
  const seconds = Math.floor(line.updatedAt / 1000);
  const when = `<!date^${seconds}^{date_short_pretty} at {time}|${new Date(line.updatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
  const what = line.purpose ? mrkdwn(clip(line.purpose, 200)) : '_No purpose noted_';
  const questions = `${line.questions} question${line.questions === 1 ? '' : 's'} drafted`;
  return section(`*${what}*\n${when} · ${line.step} · ${questions}`);
}

function section(text: string): slack.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
