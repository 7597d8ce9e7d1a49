import { categoryOf, categorySql } from './notification-kinds';

describe('notification categories', () => {
  it.each([
    ['reminder.accept', 'reminder'],
    ['reminder.period_due', 'reminder'],
    ['escalation.level2', 'escalation'],
    ['review.chase', 'review'],
    ['reminder.review', 'review'],
    ['period.opened', 'period'],
    ['report.returned', 'generic'],
    ['document.published', 'generic'],
  ])('%s is %s', (kind, category) => {
    expect(categoryOf(kind)).toBe(category);
  });

  it('builds one CASE expression over the column', () => {
    expect(categorySql('n.kind')).toMatch(/^\(case when n\.kind like '%review%' or n\.kind like '%chase%' then 'review' .* else 'generic' end\)$/);
  });
});
