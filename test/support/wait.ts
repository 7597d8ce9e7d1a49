export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits with an interval and a hard deadline; the failure says what is still pending. A probe that
 * throws (a store being restarted) counts as not done yet; its last error is in the failure.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, ms = 20_000, interval = 200): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let error: unknown = null;
  for (;;) {
    try {
      last = await probe();
      error = null;
      if (done(last)) return last;
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}; last value: ${JSON.stringify(last)}${error ? `; last error: ${error instanceof Error ? error.message : JSON.stringify(error)}` : ''}`);
    }
    await sleep(interval);
  }
}
