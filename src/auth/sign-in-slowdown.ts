/**
 * How long a sign-in with an e-mail address must wait after refusals in a
 * row (docs/security.md, "Sign-in limits and trusted proxies"): nothing for
 * the first `after`, then a wait that doubles with each refusal from one
 * second up to `maxSeconds`, counted from the last refusal. A wait never
 * grows past the cap however long the guessing goes on, so whoever waits it
 * out is heard.
 */
export interface SlowdownSettings {
  after: number;
  maxSeconds: number;
}

/** Whole seconds still to wait at `now`; 0 when an attempt may be heard. */
export function slowdownWaitSeconds(failures: number, lastFailedAt: Date, now: Date, settings: SlowdownSettings): number {
  if (failures < settings.after) return 0;
  const waitMs = Math.min(2 ** (failures - settings.after), settings.maxSeconds) * 1000;
  const leftMs = lastFailedAt.getTime() + waitMs - now.getTime();
  return leftMs > 0 ? Math.ceil(leftMs / 1000) : 0;
}
