import { createHash } from 'node:crypto';
import { ValidationFailedError } from '../common/domain.errors';

/** A place in the task list's order (due date, nulls last, then id): the last row of a page. */
export interface TaskListPosition {
  dueOn: string | null;
  id: string;
}

const VERSION = '1';
const BASE64URL = /^[A-Za-z0-9_-]{1,200}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A short digest naming one list: the actor's scope and the filters (not the page size). A cursor
 * carries it, so a cursor continues only the list it came from. Not a secret: a made-up cursor
 * can only start somewhere in the caller's own scope, as `offset` can.
 */
export function taskListKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 11);
}

/** The opaque `nextCursor`: base64url of `1.<due date or empty>.<id>.<list key>`. */
export function encodeTaskListCursor(position: TaskListPosition, listKey: string): string {
  return Buffer.from(`${VERSION}.${position.dueOn ?? ''}.${position.id}.${listKey}`, 'utf8').toString('base64url');
}

function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The position a cursor from `encodeTaskListCursor` names. Anything else is a 400: text that is not
 * exactly such a cursor (TASK_CURSOR_INVALID), or a cursor of another list, i.e. another scope or
 * other filters (TASK_CURSOR_FOREIGN).
 */
export function decodeTaskListCursor(cursor: string, listKey: string): TaskListPosition {
  const invalid = (): ValidationFailedError =>
    new ValidationFailedError('分页游标无效', [{ field: 'after', message: '不是本接口返回的 nextCursor，请从第一页重新获取' }], 'TASK_CURSOR_INVALID');
  if (!BASE64URL.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Node's decoder skips what it cannot read; only the canonical encoding of the text is accepted.
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) throw invalid();
  const parts = text.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw invalid();
  const [, dueOn, id, key] = parts;
  if ((dueOn !== '' && !isCalendarDate(dueOn)) || !UUID.test(id) || !/^[A-Za-z0-9_-]{11}$/.test(key)) throw invalid();
  if (key !== listKey) {
    throw new ValidationFailedError(
      '分页游标不属于当前列表',
      [{ field: 'after', message: '游标来自其他用户范围或其他筛选条件的列表，请从第一页重新获取' }],
      'TASK_CURSOR_FOREIGN',
    );
  }
  return { dueOn: dueOn === '' ? null : dueOn, id };
}
