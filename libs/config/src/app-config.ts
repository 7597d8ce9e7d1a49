/** The typed configuration every app receives; built once from the environment by `loadConfig`. */
export interface AppConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly database: { readonly url: string };
  readonly redis: { readonly url: string; readonly queuePrefix: string };
  readonly api: { readonly host: string; readonly port: number };
  readonly auth: {
    readonly jwtSecret: string;
    readonly jwtTtlSeconds: number;
    /** The API keeps a request's actor this long at most, dropped at once on a change (0: look it up every request). */
    readonly actorCacheSeconds: number;
  };
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
  /** Mail and webhook deliveries: retries (exponential backoff from `backoffMs`), webhook timeout, daily digest time (Asia/Shanghai). */
  readonly delivery: { readonly attempts: number; readonly backoffMs: number; readonly webhookTimeoutMs: number; readonly digestAt: string };
  readonly workflow: {
    readonly maxExtensionsPerTask: number;
    /** 签收时限: working days after publishing. */
    readonly acceptWithinWorkingDays: number;
    /** A report period is due this many working days after it ends. */
    readonly reportDueWorkingDays: number;
  };
  /** Statistics forms and county pairing (晋乡振发〔2021〕29号). */
  readonly forms: {
    readonly uploadMaxBytes: number;
    readonly xlsxMaxInflatedBytes: number;
    readonly xlsxMaxRatio: number;
    readonly maxRows: number;
  };
  readonly pairing: {
    /** Allowed cross-city pairings as `helperCode>assistedCode`. */
    readonly crossCityExceptions: readonly string[];
    readonly keyAssistedTotal: number;
  };
  /** Defaults of the deadline rules; a document and then a task may override each of them. */
  readonly deadlines: DeadlineRules;
  readonly tracking: {
    /** An open task due within this many working days shows yellow. */
    readonly warningWorkingDays: number;
    /** The worker folds changed tasks into the read model this often. */
    readonly refreshSeconds: number;
    /** The API keeps serialized tracking answers in this much memory, keyed by the data version (0: off). */
    readonly cacheMegabytes: number;
    /** 考核 score = weighted on-time and target shares (0-100) minus penalties. */
    readonly ranking: { readonly weightOnTime: number; readonly weightTargets: number; readonly penaltyPerOverdueDay: number; readonly penaltyPerReturned: number };
    readonly boardRefreshSeconds: number;
  };
  /** The one time zone of the product: Chinese government working time. */
  readonly timeZone: 'Asia/Shanghai';
}

/**
 * The rules of the deadline engine (persisted contract: the keys are stored in
 * `documents.deadline_settings` and `tasks.deadline_settings` as partial overrides).
 */
export interface DeadlineRules {
  /** Reminders this many working days before a deadline, strictly decreasing (e.g. [5, 2]). */
  readonly reminderDaysBefore: readonly number[];
  /** A reminder on the day itself. */
  readonly remindOnDay: boolean;
  /** While overdue, a reminder every this many working days (0: none). */
  readonly overdueRepeatEveryDays: number;
  /** 督办 levels 1, 2, 3 after this many working days overdue, strictly increasing. */
  readonly escalationThresholds: readonly [number, number, number];
  /** A submission waiting this many working days for review reminds its reviewers. */
  readonly reviewLimitDays: number;
  /** ... and this many working days later escalates to the bureau's head. */
  readonly reviewEscalationDays: number;
}

/** Nest injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
