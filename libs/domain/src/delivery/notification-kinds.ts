/**
 * The five kinds a user sets channels for. Notification `kind`s are open-ended strings written by
 * many producers (the outbox fan-out, the reminder sweep, review chasing, report periods); each is
 * sorted into a category by the first matching LIKE pattern, in SQL and in TypeScript alike.
 */
export const NOTIFICATION_CATEGORIES = ['reminder', 'escalation', 'review', 'period', 'generic'] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<NotificationCategory, string> = {
  reminder: '到期提醒',
  escalation: '督办升级',
  review: '审核催办',
  period: '报送期开始',
  generic: '系统通知',
};

/** First match wins; what matches nothing is `generic`. Patterns are SQL LIKE patterns. */
const PATTERNS: [NotificationCategory, string[]][] = [
  ['review', ['%review%', '%chase%']],
  ['escalation', ['escalation%']],
  ['period', ['period%', 'report_period%', 'reportPeriod%']],
  ['reminder', ['reminder%']],
];

const likeToRegExp = (p: string): RegExp => new RegExp(`^${p.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
const COMPILED = PATTERNS.map(([c, ps]) => [c, ps.map(likeToRegExp)] as const);

export function categoryOf(kind: string): NotificationCategory {
  return COMPILED.find(([, res]) => res.some((re) => re.test(kind)))?.[0] ?? 'generic';
}

/** The same mapping as a SQL expression over a `kind` column. */
export function categorySql(column: string): string {
  const arms = PATTERNS.map(([c, ps]) => `when ${ps.map((p) => `${column} like '${p}'`).join(' or ')} then '${c}'`);
  return `(case ${arms.join(' ')} else 'generic' end)`;
}
