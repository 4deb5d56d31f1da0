// A small typed event emitter for browsers and Node alike. A listener that throws does not
// stop the others nor the client: its error is reported (reportError, else console.error).

type Listener = (...args: never[]) => void;

/** Typed on/off/once over an event map of listener signatures. */
export class Emitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  /**
   * Resolves with the arguments of the next `event` for which `filter` (if given) is true.
   * `timeoutMs` rejects instead when none comes in time.
   */
  once<K extends keyof Events>(
    event: K,
    filter?: (...args: Parameters<Events[K]>) => boolean,
    timeoutMs?: number,
  ): Promise<Parameters<Events[K]>> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const listener = ((...args: Parameters<Events[K]>) => {
        if (filter && !filter(...args)) return;
        off();
        if (timer !== undefined) clearTimeout(timer);
        resolve(args);
      }) as unknown as Events[K];
      const off = this.on(event, listener);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          off();
          reject(new Error(`no '${String(event)}' event within ${timeoutMs} ms`));
        }, timeoutMs);
      }
    });
  }

  /** Calls every listener of `event` with `args`. */
  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (err) {
        report(err);
      }
    }
  }

  /** Number of listeners of `event`. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}

function report(err: unknown): void {
  const g = globalThis as { reportError?: (e: unknown) => void };
  if (typeof g.reportError === 'function') g.reportError(err);
  else console.error(err);
}
