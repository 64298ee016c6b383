/**
 * A process-wide limit on concurrent requests to one service (GRAPH_CONCURRENCY). A caller that must
 * start by a time (the run's budget) gives up waiting for a slot at that time instead of queueing
 * on: it has sent nothing, so its run can safely continue later from the queue. Waits are measured
 * in wall time, like a request timeout.
 */
export interface Gate {
  /** Resolves with a release function, or with undefined when no slot freed up within `waitMs`. */
  acquire(waitMs?: number): Promise<(() => void) | undefined>;
  readonly active: number;
  readonly waiting: number;
}

export function createGate(limit: number): Gate {
  let active = 0;
  const queue: Array<(release: (() => void) | undefined) => void> = [];
  const release = (): void => {
    const next = queue.shift();
    if (next) next(once());
    else active--;
  };
  const once = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    acquire(waitMs) {
      if (active < limit) {
        active++;
        return Promise.resolve(once());
      }
      if (waitMs !== undefined && waitMs <= 0) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const waiter = (granted: (() => void) | undefined): void => {
          clearTimeout(timer);
          resolve(granted);
        };
        queue.push(waiter);
        if (waitMs !== undefined) {
          timer = setTimeout(() => {
            const at = queue.indexOf(waiter);
            if (at >= 0) queue.splice(at, 1);
            resolve(undefined);
          }, waitMs);
        }
      });
    },
  };
}
