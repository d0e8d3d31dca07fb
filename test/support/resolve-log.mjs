// Loaded with `node --import`: writes every file:// module the process resolves to stderr, one
// `resolved <url>` line each, so a test can see which libraries a command loads.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.startsWith("file:")) process.stderr.write("resolved " + r.url + "\\n"); return r; }',
    ),
);
