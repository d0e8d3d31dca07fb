// Is this request from Slack? Bolt's own check (verifySlackRequest): HMAC-SHA256 of
// `v0:<timestamp>:<raw body>` with the signing secret, compared in constant time, and a timestamp
// no more than five minutes old so a captured request cannot be replayed later.
import type { IncomingHttpHeaders } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verifySlackSignature(signingSecret: string, headers: IncomingHttpHeaders, rawBody: string, nowMs = Date.now()): Verdict {
  const signature = headers['x-slack-signature'];
  const timestamp = headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') {
    return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  }
  const seconds = Number(timestamp);
  // Bolt refuses only the old; a timestamp far in the future is as suspect, so refuse that too.
  if (Number.isFinite(seconds) && seconds > nowMs / 1000 + 5 * 60) return { ok: false, reason: 'timestamp is in the future' };
  try {
    verifySlackRequest({
      signingSecret,
      body: rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': seconds },
      nowMilliseconds: nowMs,
    });
    return { ok: true };
  } catch (error) {
    // Bolt's messages say which rule failed (stale, version, mismatch) and never echo the secret.
    return { ok: false, reason: (error as Error).message.replace(/^Failed to verify authenticity: /, '') };
  }
}
