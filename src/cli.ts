// The `coach` command: analyse text, serve the chat, or rehearse in the terminal.
import { ContentError } from './content/errors.ts';
import { startCoach } from './content/compiled.ts';

const USAGE = `Strengths Coach

Usage:
  coach analyse [--jsonl]   Check text on stdin for deficit phrasing and classify questions.
                            --jsonl: one {"id": "...", "text": "..."} object per line in, one result per line out.
  coach serve               Start the server (web chat at http://localhost:3978 by default). Same as npm start.
  coach chat                Rehearse a visit in the terminal.
  coach help                Show this.
`;

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  try {
    switch (command) {
      case 'analyse':
      case 'analyze': {
        const unknown = rest.filter((a) => a !== '--jsonl');
        if (unknown.length) return usageError(`unknown option ${unknown.join(' ')}`);
        const coach = await startCoach(process.env.PROMPTS_DIR || undefined);
        const { analyseHuman, analyseJsonl } = await import('./cli/analyse.ts');
        if (rest.includes('--jsonl')) await analyseJsonl(coach, process.stdin, process.stdout);
        else await analyseHuman(coach, process.stdin, process.stdout);
        return 0;
      }
      case 'serve': {
        const { serve } = await import('./serve.ts');
        return await serve(process.env);
      }
      case 'chat': {
        const { runTerminalChat } = await import('./channels/terminal/chat.ts');
        return await runTerminalChat(process.env);
      }
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        return usageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof ContentError) {
      process.stderr.write(`coach: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

function usageError(message: string): number {
  process.stderr.write(`coach: ${message}\n\n${USAGE}`);
  return 2;
}
