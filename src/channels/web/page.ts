// The web chat page: one self-contained HTML file (inline CSS and JS, no external assets), read once
// at start. Its Content-Security-Policy allows exactly that inline script, by hash, and nothing else.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface WebPage {
  html: string;
  headers: Record<string, string>;
}

export function loadPage(): WebPage {
  const html = readFileSync(new URL('./page.html', import.meta.url), 'utf8');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  const csp = [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(html)),
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    },
  };
}
