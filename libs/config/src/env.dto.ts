import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;

/**
 * Every environment variable Duban reads, with its default. `.env.example` documents each one;
 * nothing outside libs/config reads `process.env`.
 */
export class EnvDto {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @Matches(/^postgres(ql)?:\/\/[^\s/]+(:\d+)?\/[A-Za-z0-9_-]+(\?\S*)?$/, {
    message: '必须是 PostgreSQL 连接串，例如 postgres://user@host:5432/duban',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/duban';

  @Matches(/^rediss?:\/\/[^\s/]*(:\d+)?(\/\d+)?$/, { message: '必须是 Redis 连接串，例如 redis://127.0.0.1:6379' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,40}$/, { message: '只能包含小写字母、数字和连字符' })
  QUEUE_PREFIX = 'duban';

  @IsString()
  API_HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt({ message: '必须是整数' })
  @Min(1)
  @Max(65535)
  API_PORT = 3000;

  @IsString()
  @MinLength(16, { message: '至少 16 个字符' })
  JWT_SECRET = 'duban-development-secret-change-me';

  @Transform(toInt)
  @IsInt({ message: '必须是整数（秒）' })
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SECONDS = 8 * 3600;

  @Transform(toInt)
  @IsInt({ message: '必须是整数（秒）' })
  @Min(0)
  @Max(3600)
  AUTH_ACTOR_CACHE_SECONDS = 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsIn(['json', 'pretty'])
  LOG_FORMAT = 'json';

  @Transform(toInt)
  @IsInt({ message: '必须是整数（毫秒）' })
  @Min(100)
  @Max(120000)
  SERVICE_CONNECT_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt({ message: '必须是整数' })
  @Min(1)
  @Max(500)
  WORKER_CONCURRENCY = 10;

  @IsString()
  STORAGE_DIR = './var/storage';

  @Transform(toInt)
  @IsInt({ message: '必须是整数（字节）' })
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: '必须是 SMTP 地址，例如 smtp://user:pass@host:587' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = '督办系统 <duban@localhost>';

  @Transform(toInt)
  @IsInt({ message: '必须是整数（秒）' })
  @Min(1)
  @Max(3600)
  REMINDER_SWEEP_SECONDS = 60;

  /** Demos and process-level tests only: the apps' clock starts at this instant and runs on in real time. */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, { message: '必须是带时区的 ISO 时间，例如 2026-12-15T10:00:00+08:00' })
  CLOCK_START?: string;

  @Transform(toInt)
  @IsInt({ message: '必须是整数' })
  @Min(1)
  @Max(30)
  DELIVERY_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt({ message: '必须是整数（毫秒）' })
  @Min(10)
  @Max(3_600_000)
  DELIVERY_BACKOFF_MS = 30_000;

  @Transform(toInt)
  @IsInt({ message: '必须是整数（毫秒）' })
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '必须是 HH:MM（北京时间），例如 08:30' })
  DIGEST_AT = '08:30';

  @Transform(toInt)
  @IsInt({ message: '必须是整数' })
  @Min(0)
  @Max(10)
  MAX_EXTENSIONS_PER_TASK = 1;

  @Transform(toInt)
  @IsInt({ message: '必须是整数（工作日）' })
  @Min(1)
  @Max(30)
  ACCEPT_WITHIN_WORKING_DAYS = 3;

  @Transform(toInt)
  @IsInt({ message: '必须是整数（工作日）' })
  @Min(0)
  @Max(30)
  REPORT_DUE_WORKING_DAYS = 5;
  /** Largest statistics-form upload (.xlsx), bytes. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数（字节）' })
  @Min(1024)
  @Max(100 * 1024 * 1024)
  FORM_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

  /** Largest total inflated size of an .xlsx's parts (zip-bomb guard), bytes. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数（字节）' })
  @Min(64 * 1024)
  @Max(1024 * 1024 * 1024)
  FORM_XLSX_MAX_INFLATED_BYTES = 50 * 1024 * 1024;

  /** Largest inflate ratio of one .xlsx part (zip-bomb guard). */
  @Transform(toInt)
  @IsInt({ message: '必须是整数' })
  @Min(10)
  @Max(10000)
  FORM_XLSX_MAX_RATIO = 200;

  /** Most data rows in one form submission. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数' })
  @Min(1)
  @Max(100000)
  FORM_MAX_ROWS = 2000;

  /** Cross-city pairings allowed anyway: helperCode>assistedCode pairs, comma-separated (e.g. county.140105>county.140622). */
  @Matches(/^$|^[a-z0-9.]+>[a-z0-9.]+(,[a-z0-9.]+>[a-z0-9.]+)*$/, { message: '格式为 帮扶县编码>被帮扶县编码，多个用逗号分隔' })
  PAIRING_CROSS_CITY_EXCEPTIONS = '';

  /** How many key assisted counties the province has (晋乡振发〔2021〕29号: 46); coverage reports the unflagged rest as unknown. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数' })
  @Min(0)
  @Max(1000)
  KEY_ASSISTED_COUNTY_TOTAL = 46;

  /** Reminder ladder: working days before a deadline, strictly decreasing (default "5,2"). */
  @Matches(/^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$|^\s*$/, { message: '必须是用逗号分隔的工作日数，例如 5,2（可为空）' })
  REMINDER_DAYS_BEFORE = '5,2';

  @IsIn(['true', 'false'], { message: '必须是 true 或 false' })
  REMINDER_ON_DAY = 'true';

  @Transform(toInt)
  @IsInt({ message: '必须是整数（工作日，0 表示逾期后不再重复提醒）' })
  @Min(0)
  @Max(30)
  REMINDER_OVERDUE_EVERY_DAYS = 1;

  /** 督办 levels 1, 2, 3 after this many working days overdue, strictly increasing (default "1,3,10"). */
  @Matches(/^\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*$/, { message: '必须是三个用逗号分隔的工作日数，例如 1,3,10' })
  ESCALATION_THRESHOLDS = '1,3,10';

  @Transform(toInt)
  @IsInt({ message: '必须是整数（工作日）' })
  @Min(1)
  @Max(60)
  REVIEW_LIMIT_WORKING_DAYS = 3;

  @Transform(toInt)
  @IsInt({ message: '必须是整数（工作日）' })
  @Min(1)
  @Max(60)
  REVIEW_ESCALATION_WORKING_DAYS = 3;

  /** Traffic lights: an open task due within this many working days is yellow. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数（工作日）' })
  @Min(0)
  @Max(60)
  TRACKING_WARNING_WORKING_DAYS = 5;

  /** How often the worker folds changed tasks into the tracking read model (reads are exact either way; decision 51). */
  @Transform(toInt)
  @IsInt({ message: '必须是整数（秒）' })
  @Min(1)
  @Max(3600)
  TRACKING_REFRESH_SECONDS = 5;

  /** Memory for the API's cache of tracking answers, keyed by the data version (decision 55); 0 turns it off. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数（MB）' })
  @Min(0)
  @Max(4096)
  TRACKING_CACHE_MB = 64;

  /** Ranking (考核) weights and penalties: see docs/tracking.md for the formula. */
  @Transform(toNumber)
  @IsNumber({}, { message: '必须是数字' })
  @Min(0)
  @Max(100)
  RANKING_WEIGHT_ON_TIME = 60;

  @Transform(toNumber)
  @IsNumber({}, { message: '必须是数字' })
  @Min(0)
  @Max(100)
  RANKING_WEIGHT_TARGETS = 40;

  @Transform(toNumber)
  @IsNumber({}, { message: '必须是数字' })
  @Min(0)
  @Max(100)
  RANKING_PENALTY_OVERDUE_DAY = 0.5;

  @Transform(toNumber)
  @IsNumber({}, { message: '必须是数字' })
  @Min(0)
  @Max(100)
  RANKING_PENALTY_RETURNED = 2;

  /** The status board polls its data this often. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数（秒）' })
  @Min(5)
  @Max(3600)
  BOARD_REFRESH_SECONDS = 60;
}
