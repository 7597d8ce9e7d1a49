import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('works with no variables set, using the documented local defaults', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/duban');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.api.port).toBe(3000);
    expect(config.timeZone).toBe('Asia/Shanghai');
  });

  it('lists every bad variable in one error, naming each', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://nope', REDIS_URL: 'http://x', API_PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['API_PORT', 'DATABASE_URL', 'LOG_LEVEL', 'REDIS_URL']);
    expect((error as ConfigError).message).toContain('DATABASE_URL');
  });

  it('treats blank values as unset and converts numbers', () => {
    const config = loadConfig({ API_PORT: ' 8080 ', REDIS_URL: '  ' });
    expect(config.api.port).toBe(8080);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-enough-length' }).env).toBe('production');
  });

  it('reads the deadline rules and refuses an unsorted ladder or thresholds', () => {
    expect(loadConfig({}).deadlines).toEqual({ reminderDaysBefore: [5, 2], remindOnDay: true, overdueRepeatEveryDays: 1, escalationThresholds: [1, 3, 10], reviewLimitDays: 3, reviewEscalationDays: 3 });
    const custom = loadConfig({ REMINDER_DAYS_BEFORE: '10, 3,1', REMINDER_ON_DAY: 'false', ESCALATION_THRESHOLDS: '2,5,15', REVIEW_LIMIT_WORKING_DAYS: '2' }).deadlines;
    expect(custom).toMatchObject({ reminderDaysBefore: [10, 3, 1], remindOnDay: false, escalationThresholds: [2, 5, 15], reviewLimitDays: 2 });
    let error: unknown;
    try {
      loadConfig({ REMINDER_DAYS_BEFORE: '2,5', ESCALATION_THRESHOLDS: '3,1,10', REVIEW_ESCALATION_WORKING_DAYS: '0', REMINDER_OVERDUE_EVERY_DAYS: '-1' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['ESCALATION_THRESHOLDS', 'REMINDER_DAYS_BEFORE', 'REMINDER_OVERDUE_EVERY_DAYS', 'REVIEW_ESCALATION_WORKING_DAYS']);
    expect(() => loadConfig({ ESCALATION_THRESHOLDS: '1,3' })).toThrow(/ESCALATION_THRESHOLDS/);
  });

  it('takes a CLOCK_START with a zone outside production only', () => {
    expect(loadConfig({ CLOCK_START: '2026-12-15T10:00:00+08:00' }).clockStart).toBe('2026-12-15T10:00:00+08:00');
    expect(loadConfig({}).clockStart).toBeNull();
    expect(() => loadConfig({ CLOCK_START: '2026-12-15 10:00' })).toThrow(/CLOCK_START/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-enough-length', CLOCK_START: '2026-12-15T10:00:00Z' })).toThrow(/CLOCK_START/);
  });
});
