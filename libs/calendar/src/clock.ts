/** The source of "now". Injected everywhere so tests and the demo move time instead of sleeping. */
export abstract class Clock {
  abstract now(): Date;
}

/** The real clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests can set and advance. */
export class ManualClock extends Clock {
  private current: Date;
  constructor(start: Date | string = new Date()) {
    super();
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A clock that starts at a given instant and runs on in real time (demos and tests of the built apps). */
export class OffsetClock extends Clock {
  private readonly offsetMs: number;
  constructor(start: Date | string) {
    super();
    this.offsetMs = new Date(start).getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** The clock an app runs on: the real one, unless the configuration starts it elsewhere (CLOCK_START). */
export function clockFromConfig(clockStart: string | null): Clock {
  return clockStart ? new OffsetClock(clockStart) : new SystemClock();
}
