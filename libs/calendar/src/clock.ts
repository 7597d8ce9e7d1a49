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
