import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

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
}
