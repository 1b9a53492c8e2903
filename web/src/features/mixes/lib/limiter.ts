/**
 * Runs at most `concurrency` tasks at once, the rest in the order asked: a grid of 100 planned
 * variants asks the engine for a frame each, a few at a time rather than 100 requests at once.
 * A task whose signal is aborted while it waits never starts (its promise rejects with AbortError).
 */
export function createLimiter(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];

  const next = () => {
    while (running < concurrency && waiting.length > 0) waiting.shift()!();
  };

  return {
    run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          if (signal?.aborted) {
            reject(new DOMException("Aborted", "AbortError"));
            return;
          }
          running += 1;
          task().then(resolve, reject).finally(() => {
            running -= 1;
            next();
          });
        };
        waiting.push(start);
        next();
      });
    },
    /** Tasks started and not yet settled. */
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
