import { shanghaiDate, shanghaiTime } from '@duban/calendar';
import { CATEGORY_LABELS, categoryOf, type NotificationCategory } from './notification-kinds';

/** What a mail says about one notification. */
export interface MailItem {
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
}

export interface RenderedMail {
  subject: string;
  text: string;
}

const SUBJECT_PREFIX: Record<NotificationCategory, string> = {
  reminder: '【督办提醒】',
  escalation: '【督办升级】',
  review: '【审核催办】',
  period: '【报送期开始】',
  generic: '【督办通知】',
};

const ACTION: Record<NotificationCategory, string> = {
  reminder: '请在期限前登录督办系统办理。',
  escalation: '该事项已逾期并升级督办，请尽快督促办理并在系统中反馈。',
  review: '有报送等待审核已超过时限，请尽快登录督办系统审核。',
  period: '新的报送期已经开始，请按时登录督办系统报送进展。',
  generic: '请登录督办系统查看。',
};

const FOOTER = '此邮件由督办系统自动发送，请勿直接回复。';

function stamp(d: Date): string {
  const t = shanghaiTime(d);
  const hh = String(Math.floor(t.minutes / 60)).padStart(2, '0');
  const mm = String(t.minutes % 60).padStart(2, '0');
  return `${t.date} ${hh}:${mm}`;
}

/** One notification as one mail (Chinese, plain text). */
export function renderSingleMail(recipient: string, n: MailItem): RenderedMail {
  const category = categoryOf(n.kind);
  const lines = [`${recipient}，您好：`, '', n.body === n.title ? n.title : `${n.title}\n${n.body}`, '', ACTION[category], '', `通知时间：${stamp(n.createdAt)}（北京时间）`, '', FOOTER];
  return { subject: `${SUBJECT_PREFIX[category]}${n.title}`, text: lines.join('\n') };
}

/** A day's notifications as one digest mail, grouped by category, oldest first within a group. */
export function renderDigestMail(recipient: string, date: string, items: MailItem[]): RenderedMail {
  const groups = new Map<NotificationCategory, MailItem[]>();
  for (const n of [...items].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const c = categoryOf(n.kind);
    groups.set(c, [...(groups.get(c) ?? []), n]);
  }
  const lines = [`${recipient}，您好：`, '', `以下是截至 ${date} 您尚未通过邮件收到的 ${items.length} 条督办通知：`];
  let i = 0;
  for (const [category, list] of groups) {
    lines.push('', `【${CATEGORY_LABELS[category]}】（${list.length} 条）`);
    for (const n of list) lines.push(`${++i}. ${n.title}${n.body && n.body !== n.title ? `：${n.body}` : ''}（${stamp(n.createdAt)}）`);
  }
  lines.push('', '请登录督办系统查看和办理。', '', FOOTER);
  return { subject: `【督办日报】${date} 共 ${items.length} 条通知`, text: lines.join('\n') };
}

/** The Shanghai date of an instant (re-exported for the digest's key). */
export const digestDateOf = (d: Date): string => shanghaiDate(d);
