/** The typed configuration every app receives; built once from the environment by `loadConfig`. */
export interface AppConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly database: { readonly url: string };
  readonly redis: { readonly url: string; readonly queuePrefix: string };
  readonly api: { readonly host: string; readonly port: number };
  readonly auth: { readonly jwtSecret: string; readonly jwtTtlSeconds: number };
  readonly log: { readonly level: string; readonly format: 'json' | 'pretty' };
  readonly connectTimeoutMs: number;
  readonly worker: {
    readonly concurrency: number;
    /** How often the reminder and escalation sweep runs. */
    readonly reminderSweepSeconds: number;
  };
  /** Demos and process-level tests: when set, the clock starts at this instant (never in production). */
  readonly clockStart: string | null;
  readonly storage: { readonly dir: string; readonly uploadMaxBytes: number };
  readonly mail: { readonly smtpUrl: string | null; readonly from: string };
  readonly workflow: {
    readonly maxExtensionsPerTask: number;
    /** 签收时限: working days after publishing. */
    readonly acceptWithinWorkingDays: number;
    /** A report period is due this many working days after it ends. */
    readonly reportDueWorkingDays: number;
  };
  /** The one time zone of the product: Chinese government working time. */
  readonly timeZone: 'Asia/Shanghai';
}

/** Nest injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
