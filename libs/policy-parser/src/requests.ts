/**
 * Document-level requests outside the measures, such as
 * 各市于8月23日前，将本市域内县际结对帮扶统计表（附件）报送邮箱 sxczxshz@163.com。
 */
import { findDeadlines, type DeadlineContext } from './deadlines';
import type { DocumentRequest } from './parsed-document.types';
import type { Line } from './text-lines';

const SUBMIT = /报送|上报|报至|报给|报省|报市|报县|提交|反馈|发送至|发至|报备|备案/;
const SUBJECT = /^(?:请)?(各[\u4e00-\u9fff（）()、]{1,20}?|[\u4e00-\u9fff（）()]{2,20}?(?:局|厅|委|政府|单位|部门|办公室|办))(?:要|须|务必|请|应|于|在|将|按|根据|及时|认真|在\d)/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const EMAILS = new RegExp(EMAIL.source, 'g');

/** A paragraph that instructs the addressees as a whole; it also ends the measure before it. */
export function isRequestParagraph(text: string): boolean {
  return SUBJECT.test(text) && SUBMIT.test(text) && (/\d{1,2}月\d{1,2}日|月底|年底/.test(text) || EMAIL.test(text));
}

/**
 * Requests in the given paragraphs (those outside measures and metadata). `attachmentNames` are the
 * document's attachments and form titles, to resolve （附件）.
 */
export function findRequests(lines: Line[], ctx: DeadlineContext, attachmentNames: string[]): DocumentRequest[] {
  const out: DocumentRequest[] = [];
  for (const l of lines) {
    let offset = 0;
    for (const sentence of l.text.split(/(?<=[。！？])/)) {
      const start = l.start + offset;
      offset += sentence.length;
      const subject = SUBJECT.exec(sentence);
      if (!SUBMIT.test(sentence) || !subject) continue;
      const deadlines = findDeadlines(sentence, ctx);
      const point = deadlines.find((d) => d.kind === 'point');
      const attachments = attachmentNames.filter((a) => a !== '' && sentence.includes(a));
      if (attachments.length === 0 && /附件|附表/.test(sentence)) {
        // （附件） with a single attachment can only mean that one.
        attachments.push(attachmentNames.length === 1 ? attachmentNames[0] : '附件');
      }
      out.push({
        text: sentence,
        date: point?.date ?? null,
        deadlines,
        addressees: [subject[1]],
        emails: sentence.match(EMAILS) ?? [],
        attachments,
        span: { start, end: start + sentence.length },
      });
    }
  }
  return out;
}
