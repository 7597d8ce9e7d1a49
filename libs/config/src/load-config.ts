import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AppConfig } from './app-config';
import { EnvDto } from './env.dto';

/** Thrown at boot when one or more variables are invalid; the message lists every one of them. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `配置错误（${problems.length} 项），请检查环境变量：\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const KNOWN = new Set(Object.keys(new EnvDto()).concat(['SMTP_URL', 'CLOCK_START']));

function flatten(errors: ValidationError[]): { variable: string; message: string }[] {
  return errors.map((e) => ({
    variable: e.property,
    message: `${Object.values(e.constraints ?? {}).join('; ')}（当前值：${JSON.stringify(e.value)}）`,
  }));
}

/**
 * Reads and validates the environment once. Empty strings count as unset, so a blank line in
 * a `.env` file falls back to the default instead of failing obscurely.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const dto = plainToInstance(EnvDto, raw, { exposeDefaultValues: true });
  const problems = flatten(validateSync(dto, { whitelist: false }));
  if (dto.NODE_ENV === 'production' && dto.JWT_SECRET === new EnvDto().JWT_SECRET) {
    problems.push({ variable: 'JWT_SECRET', message: '生产环境必须设置自己的密钥' });
  }
  const daysBefore = dto.REMINDER_DAYS_BEFORE.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  if (daysBefore.some((d, i) => d < 1 || (i > 0 && d >= daysBefore[i - 1]))) {
    problems.push({ variable: 'REMINDER_DAYS_BEFORE', message: '必须是从大到小、互不相同的正整数，例如 5,2' });
  }
  const thresholds = dto.ESCALATION_THRESHOLDS.split(',').map((x) => Number(x.trim()));
  if (thresholds.some((d, i) => d < 1 || (i > 0 && d <= thresholds[i - 1]))) {
    problems.push({ variable: 'ESCALATION_THRESHOLDS', message: '必须是从小到大、互不相同的正整数，例如 1,3,10' });
  }
  if (dto.NODE_ENV === 'production' && dto.CLOCK_START) {
    problems.push({ variable: 'CLOCK_START', message: '生产环境不能改动时钟' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    env: dto.NODE_ENV as AppConfig['env'],
    database: { url: dto.DATABASE_URL },
    redis: { url: dto.REDIS_URL, queuePrefix: dto.QUEUE_PREFIX },
    api: { host: dto.API_HOST, port: dto.API_PORT },
    auth: { jwtSecret: dto.JWT_SECRET, jwtTtlSeconds: dto.JWT_TTL_SECONDS, actorCacheSeconds: dto.AUTH_ACTOR_CACHE_SECONDS },
    log: { level: dto.LOG_LEVEL, format: dto.LOG_FORMAT as 'json' | 'pretty' },
    connectTimeoutMs: dto.SERVICE_CONNECT_TIMEOUT_MS,
    worker: { concurrency: dto.WORKER_CONCURRENCY, reminderSweepSeconds: dto.REMINDER_SWEEP_SECONDS },
    clockStart: dto.CLOCK_START ?? null,
    storage: { dir: dto.STORAGE_DIR, uploadMaxBytes: dto.UPLOAD_MAX_BYTES },
    mail: { smtpUrl: dto.SMTP_URL ?? null, from: dto.MAIL_FROM },
    delivery: { attempts: dto.DELIVERY_ATTEMPTS, backoffMs: dto.DELIVERY_BACKOFF_MS, webhookTimeoutMs: dto.WEBHOOK_TIMEOUT_MS, digestAt: dto.DIGEST_AT },
    workflow: {
      maxExtensionsPerTask: dto.MAX_EXTENSIONS_PER_TASK,
      acceptWithinWorkingDays: dto.ACCEPT_WITHIN_WORKING_DAYS,
      reportDueWorkingDays: dto.REPORT_DUE_WORKING_DAYS,
    },
    forms: {
      uploadMaxBytes: dto.FORM_UPLOAD_MAX_BYTES,
      xlsxMaxInflatedBytes: dto.FORM_XLSX_MAX_INFLATED_BYTES,
      xlsxMaxRatio: dto.FORM_XLSX_MAX_RATIO,
      maxRows: dto.FORM_MAX_ROWS,
    },
    pairing: {
      crossCityExceptions: dto.PAIRING_CROSS_CITY_EXCEPTIONS === '' ? [] : dto.PAIRING_CROSS_CITY_EXCEPTIONS.split(','),
      keyAssistedTotal: dto.KEY_ASSISTED_COUNTY_TOTAL,
    },
    deadlines: {
      reminderDaysBefore: daysBefore,
      remindOnDay: dto.REMINDER_ON_DAY === 'true',
      overdueRepeatEveryDays: dto.REMINDER_OVERDUE_EVERY_DAYS,
      escalationThresholds: [thresholds[0], thresholds[1], thresholds[2]],
      reviewLimitDays: dto.REVIEW_LIMIT_WORKING_DAYS,
      reviewEscalationDays: dto.REVIEW_ESCALATION_WORKING_DAYS,
    },
    tracking: {
      warningWorkingDays: dto.TRACKING_WARNING_WORKING_DAYS,
      refreshSeconds: dto.TRACKING_REFRESH_SECONDS,
      cacheMegabytes: dto.TRACKING_CACHE_MB,
      ranking: {
        weightOnTime: dto.RANKING_WEIGHT_ON_TIME,
        weightTargets: dto.RANKING_WEIGHT_TARGETS,
        penaltyPerOverdueDay: dto.RANKING_PENALTY_OVERDUE_DAY,
        penaltyPerReturned: dto.RANKING_PENALTY_RETURNED,
      },
      boardRefreshSeconds: dto.BOARD_REFRESH_SECONDS,
    },
    timeZone: 'Asia/Shanghai',
  };
}
