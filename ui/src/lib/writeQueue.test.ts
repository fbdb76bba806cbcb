import { describe, expect, it, vi } from 'vitest';
import { createWriteQueue, WriteCancelled } from './writeQueue';

/** A promise with its resolve and reject exposed. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('write queue', () => {
  it('starts the first write at once and each later one only after the one before settled', async () => {
    const log: string[] = [];
    const a = deferred<string>();
    const b = deferred<string>();
    const queue = createWriteQueue<string>();
    const pa = queue.push('a', () => {
      log.push('start a');
      return a.promise;
    });
    expect(log).toEqual(['start a']);
    const pb = queue.push('b', () => {
      log.push('start b');
      return b.promise;
    });
    const pc = queue.push('c', async () => {
      log.push('start c');
      return 'C';
    });
    expect(queue.size).toBe(3);
    await flush();
    expect(log).toEqual(['start a']);
    a.resolve('A');
    expect(await pa).toBe('A');
    await flush();
    expect(log).toEqual(['start a', 'start b']);
    b.resolve('B');
    expect(await pb).toBe('B');
    expect(await pc).toBe('C');
    expect(log).toEqual(['start a', 'start b', 'start c']);
    expect(queue.size).toBe(0);
  });

  it('drops the writes behind a failed one and reports them in order', async () => {
    const onFailure = vi.fn();
    const queue = createWriteQueue<string>({ onFailure });
    const a = deferred();
    const ran: string[] = [];
    const pa = queue.push('a', () => a.promise);
    const pb = queue.push('b', async () => void ran.push('b'));
    const pc = queue.push('c', async () => void ran.push('c'));
    const results = Promise.allSettled([pa, pb, pc]);
    a.reject({ code: 'io', message: 'disk full' });
    const [ra, rb, rc] = await results;
    expect(ra).toEqual({ status: 'rejected', reason: { code: 'io', message: 'disk full' } });
    expect(rb.status === 'rejected' && rb.reason).toBeInstanceOf(WriteCancelled);
    expect(rc.status === 'rejected' && rc.reason).toBeInstanceOf(WriteCancelled);
    expect(ran).toEqual([]);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure).toHaveBeenCalledWith('a', { code: 'io', message: 'disk full' }, ['b', 'c']);
    expect(queue.size).toBe(0);
  });

  it('reports the failure before the failed write rejects, with the queue already empty', async () => {
    const seen: number[] = [];
    const queue = createWriteQueue<string>({ onFailure: () => seen.push(queue.size) });
    await expect(queue.push('a', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(seen).toEqual([0]);
  });

  it('runs writes pushed after a failure normally', async () => {
    const queue = createWriteQueue<string>();
    await expect(queue.push('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.push('b', async () => 2)).resolves.toBe(2);
  });

  it('turns a write that throws at once into a failure', async () => {
    const onFailure = vi.fn();
    const queue = createWriteQueue<string>({ onFailure });
    await expect(
      queue.push('a', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(onFailure).toHaveBeenCalledOnce();
  });

  it('settles once every write so far has settled, failed ones included', async () => {
    const queue = createWriteQueue<string>();
    await queue.settled();
    const a = deferred();
    const b = deferred();
    queue.push('a', () => a.promise).catch(() => {});
    queue.push('b', () => b.promise).catch(() => {});
    let settled = false;
    const waiting = queue.settled().then(() => {
      settled = true;
    });
    a.resolve();
    await flush();
    expect(settled).toBe(false);
    b.reject(new Error('late failure'));
    await waiting;
    expect(settled).toBe(true);
  });

  it('tells the size as it changes', async () => {
    const sizes: number[] = [];
    const queue = createWriteQueue<string>({ onSizeChange: (n) => sizes.push(n) });
    const a = deferred();
    const pa = queue.push('a', () => a.promise);
    const pb = queue.push('b', async () => {});
    a.resolve();
    await Promise.all([pa, pb]);
    expect(sizes).toEqual([1, 2, 1, 0]);
  });

  it('counts the running write until its caller hears the result', async () => {
    const queue = createWriteQueue<string>();
    const sizes: number[] = [];
    const a = queue.push('a', async () => 1).then(() => sizes.push(queue.size));
    const b = queue.push('b', async () => 2).then(() => sizes.push(queue.size));
    await Promise.all([a, b]);
    // When a's caller runs, b is already running; when b's does, nothing is left.
    expect(sizes).toEqual([1, 0]);
  });
});

describe('write queue with a retry rule', () => {
  it('waits out a transient failure, keeps the writes behind it in order, and sends each once it goes through', async () => {
    const waiting: unknown[] = [];
    const again = deferred();
    const waits: number[] = [];
    let online = false;
    const sent: string[] = [];
    const queue = createWriteQueue<string>({
      retry: {
        transient: (error) => (error as { code?: string }).code === 'network',
        wait: (attempt) => {
          waits.push(attempt);
          return attempt < 2 ? Promise.resolve() : again.promise;
        },
      },
      onWaiting: (error) => waiting.push(error === null ? null : (error as { code: string }).code),
    });
    const write = (name: string) => async () => {
      if (!online) throw { code: 'network', message: 'unreachable' };
      sent.push(name);
      return name.toUpperCase();
    };
    const pa = queue.push('a', write('a'));
    const pb = queue.push('b', write('b'));
    await flush();
    expect(waits).toEqual([1, 2]);
    expect(sent).toEqual([]);
    expect(queue.size).toBe(2);
    online = true;
    again.resolve();
    expect(await pa).toBe('A');
    expect(await pb).toBe('B');
    expect(sent).toEqual(['a', 'b']);
    expect(waiting).toEqual(['network', 'network', null]);
  });

  it('still fails a write whose failure is not transient, after a wait', async () => {
    const onFailure = vi.fn();
    const onWaiting = vi.fn();
    let calls = 0;
    const queue = createWriteQueue<string>({
      onFailure,
      onWaiting,
      retry: { transient: (error) => (error as { code?: string }).code === 'network', wait: async () => {} },
    });
    const pa = queue.push('a', async () => {
      calls++;
      throw calls === 1 ? { code: 'network', message: 'gone' } : { code: 'card_not_found', message: 'no card' };
    });
    await expect(pa).rejects.toEqual({ code: 'card_not_found', message: 'no card' });
    expect(calls).toBe(2);
    expect(onFailure).toHaveBeenCalledWith('a', { code: 'card_not_found', message: 'no card' }, []);
    expect(onWaiting.mock.calls).toEqual([[{ code: 'network', message: 'gone' }], [null]]);
  });
});
