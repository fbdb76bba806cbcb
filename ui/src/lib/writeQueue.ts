// Writes that must reach notedeck strictly in the order they were made (the
// review screen's answers): each starts only after the one before it has
// settled. When one fails, the writes still waiting behind it are dropped,
// not sent out of order; the caller hears about the failure and the dropped
// writes at once, and decides what to show again.

/** The rejection of a write dropped because an earlier one failed. */
export class WriteCancelled extends Error {
  constructor() {
    super('Not saved, because an earlier write failed.');
    this.name = 'WriteCancelled';
  }
}

export interface WriteQueueOptions<Tag> {
  /**
   * A write failed: `failed` is its tag, `cancelled` the tags of the writes
   * that were waiting behind it (in order), which will not run.
   */
  onFailure?: (failed: Tag, error: unknown, cancelled: Tag[]) => void;
  /** The number of unsettled writes changed. */
  onSizeChange?: (size: number) => void;
  /** Which failures to wait out instead of failing, and how long to wait. */
  retry?: RetryRule;
  /**
   * Writes began waiting for a transient failure to pass (`error` is its
   * error) or, with `null`, went through again.
   */
  onWaiting?: (error: unknown | null) => void;
}

export interface RetryRule {
  /** True for a failure to wait out (the network is unreachable). */
  transient: (error: unknown) => boolean;
  /** Resolves when the write should be tried again (`attempt` counts from 1). */
  wait: (attempt: number) => Promise<void>;
}

export interface WriteQueue<Tag> {
  /**
   * Runs `write` once every earlier write has settled. Resolves with its
   * value; rejects with its error, or with `WriteCancelled` when an earlier
   * write failed.
   */
  push<T>(tag: Tag, write: () => Promise<T>): Promise<T>;
  /** Resolves once every write pushed so far has settled (never rejects). */
  settled(): Promise<void>;
  /** Writes pushed and not yet settled, the running one included. */
  readonly size: number;
}

interface Entry<Tag> {
  tag: Tag;
  write: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function createWriteQueue<Tag>(options: WriteQueueOptions<Tag> = {}): WriteQueue<Tag> {
  const entries: Entry<Tag>[] = [];
  let running = false;
  let idleWaiters: (() => void)[] = [];

  function changed() {
    options.onSizeChange?.(entries.length);
    if (entries.length === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  async function pump() {
    if (running) return;
    running = true;
    try {
      let attempt = 0;
      while (entries.length > 0) {
        const entry = entries[0];
        try {
          const value = await entry.write();
          entries.shift();
          if (attempt > 0) {
            attempt = 0;
            options.onWaiting?.(null);
          }
          changed();
          entry.resolve(value);
        } catch (error) {
          if (options.retry?.transient(error)) {
            attempt++;
            options.onWaiting?.(error);
            await options.retry.wait(attempt);
            continue;
          }
          if (attempt > 0) {
            attempt = 0;
            options.onWaiting?.(null);
          }
          entries.shift();
          const dropped = entries.splice(0);
          changed();
          try {
            options.onFailure?.(
              entry.tag,
              error,
              dropped.map((d) => d.tag),
            );
          } finally {
            entry.reject(error);
            for (const d of dropped) d.reject(new WriteCancelled());
          }
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    push<T>(tag: Tag, write: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        entries.push({ tag, write, resolve: resolve as (value: unknown) => void, reject });
        options.onSizeChange?.(entries.length);
        void pump();
      });
    },
    settled(): Promise<void> {
      if (entries.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get size() {
      return entries.length;
    },
  };
}
