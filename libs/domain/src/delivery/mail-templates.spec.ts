import { renderDigestMail, renderSingleMail } from './mail-templates';

const at = new Date('2026-11-24T02:05:00Z'); // 10:05 in Beijing

describe('mail templates', () => {
  it('gives each kind its Chinese subject and action', () => {
    expect(renderSingleMail('张三', { kind: 'reminder.accept', title: '到期提醒：某任务', body: '到期提醒：某任务', createdAt: at })).toEqual({
      subject: '【督办提醒】到期提醒：某任务',
      text: expect.stringContaining('张三，您好：\n\n到期提醒：某任务\n\n请在期限前登录督办系统办理。'),
    });
    expect(renderSingleMail('李四', { kind: 'escalation.level2', title: '督办（二级）', body: '逾期 3 个工作日', createdAt: at }).subject).toBe('【督办升级】督办（二级）');
    expect(renderSingleMail('李四', { kind: 'review.chase', title: '报送待审核', body: 'x', createdAt: at }).text).toContain('等待审核已超过时限');
    expect(renderSingleMail('李四', { kind: 'period.opened', title: '2026Q4 报送期开始', body: 'x', createdAt: at }).subject).toBe('【报送期开始】2026Q4 报送期开始');
    expect(renderSingleMail('李四', { kind: 'report.returned', title: '报送被退回', body: '审核意见：补充', createdAt: at }).text).toContain('通知时间：2026-11-24 10:05（北京时间）');
  });

  it('groups a digest by category and counts every item', () => {
    const mail = renderDigestMail('张三', '2026-11-25', [
      { kind: 'report.returned', title: '报送被退回', body: '请补充', createdAt: new Date('2026-11-24T03:00:00Z') },
      { kind: 'reminder.accept', title: '到期提醒：甲', body: '到期提醒：甲', createdAt: new Date('2026-11-24T02:00:00Z') },
      { kind: 'reminder.task_due', title: '今日到期：乙', body: '今日到期：乙', createdAt: new Date('2026-11-24T04:00:00Z') },
    ]);
    expect(mail.subject).toBe('【督办日报】2026-11-25 共 3 条通知');
    expect(mail.text).toContain('【到期提醒】（2 条）\n1. 到期提醒：甲（2026-11-24 10:00）\n2. 今日到期：乙（2026-11-24 12:00）');
    expect(mail.text).toContain('【系统通知】（1 条）\n3. 报送被退回：请补充');
  });
});
