// Delivery: one lane per channel, paced to about one message a second after a short burst, in order,
// other channels unaffected; nothing dropped when a call fails part-way.
import { describe, expect, it } from 'vitest';
import { Deliverer } from '../../src/channels/slack/deliver.ts';
import { createLogger } from '../../src/http.ts';

function fakeClient(fail: (channel: string, n: number) => boolean = () => false) {
  const sent: { channel: string; text: string; at: number }[] = [];
  let n = 0;
  const client = {
    chat: {
      postMessage: async ({ channel, text }: { channel: string; text: string }) => {
        n += 1;
        if (fail(channel, n)) throw Object.assign(new Error('An API error occurred: fatal_error'), { data: { ok: false, error: 'fatal_error' } });
        sent.push({ channel, text, at: Date.now() });
        return { ok: true, ts: `${n}.0` };
      },
    },
    conversations: { open: async ({ users }: { users: string }) => ({ ok: true, channel: { id: `D${users}` } }) },
  };
  return { client: client as never, sent };
}

const message = (text: string) => ({ text, blocks: [] });

describe('Deliverer', () => {
  it('paces one channel after its burst, keeps order, and leaves other channels unhindered', async () => {
    const { client, sent } = fakeClient();
    const deliver = new Deliverer({ client, log: createLogger('silent'), intervalMs: 150, burst: 2 });
    const started = Date.now();
    const busy = deliver.post({ channel: 'C1' }, ['1', '2', '3', '4', '5'].map(message));
    const other = deliver.post({ channel: 'C2' }, [message('other')]);
    await Promise.all([other, busy]);
    const order = sent.map((s) => s.text);
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('3')); // not queued behind C1's paced messages
    const times = sent.filter((s) => s.channel === 'C1').map((s) => s.at - started);
    expect(sent.filter((s) => s.channel === 'C1').map((s) => s.text)).toEqual(['1', '2', '3', '4', '5']);
    expect(times[1]!).toBeLessThan(150); // the burst: the second goes before the first paced slot
    // Never faster than the bucket allows: after a burst of two, the n-th message waits (n - 2) intervals.
    // Lower bounds only, so a busy machine (which only ever makes sends later) cannot fail this.
    for (let i = 2; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual((i - 1) * 150 - 2);
    await deliver.drain();
  });

  it('goes on with the next message of a lane when one fails, and drain waits for all', async () => {
    const { client, sent } = fakeClient((_channel, n) => n === 1);
    const deliver = new Deliverer({ client, log: createLogger('silent'), intervalMs: 10, burst: 1 });
    const first = deliver.post({ channel: 'C1' }, [message('lost')]).catch((error: { data?: { error?: string } }) => error.data?.error);
    void deliver.post({ channel: 'C1' }, [message('kept')]);
    await deliver.drain();
    expect(await first).toBe('fatal_error');
    expect(sent.map((s) => s.text)).toEqual(['kept']);
  });

  it('opens a DM once per person and remembers it', async () => {
    const { client } = fakeClient();
    let opened = 0;
    (client as { conversations: { open: (a: { users: string }) => Promise<unknown> } }).conversations.open = async ({ users }) => {
      opened += 1;
      return { ok: true, channel: { id: `D${users}` } };
    };
    const deliver = new Deliverer({ client, log: createLogger('silent') });
    expect(await Promise.all([deliver.openDm('T1', 'U1'), deliver.openDm('T1', 'U1')])).toEqual(['DU1', 'DU1']);
    expect(await deliver.openDm('T1', 'U1')).toBe('DU1');
    expect(opened).toBe(1);
  });
});
