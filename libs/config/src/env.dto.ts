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

  /** Traffic lights: an open task due within this many working days is yellow. */
  @Transform(toInt)
  @IsInt({ message: '必须是整数（工作日）' })
  @Min(0)
  @Max(60)
  TRACKING_WARNING_WORKING_DAYS = 5;

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
