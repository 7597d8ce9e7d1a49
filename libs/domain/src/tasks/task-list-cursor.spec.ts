import { decodeTaskListCursor, encodeTaskListCursor, taskListKey } from './task-list-cursor';

describe('task list cursors', () => {
  const key = taskListKey(['unit:20581c1f-142a-4da1-8057-51247dacc86f', '', '', '', '']);
  const id = 'f9946745-b7bd-4480-b704-fd337de7da25';

  it('round-trips a position, with or without a due date', () => {
    for (const dueOn of ['2026-02-22', null]) {
      const cursor = encodeTaskListCursor({ dueOn, id }, key);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeTaskListCursor(cursor, key)).toEqual({ dueOn, id });
    }
  });

  it('names a list by its scope and filters', () => {
    expect(key).toHaveLength(11);
    expect(taskListKey(['unit:20581c1f-142a-4da1-8057-51247dacc86f', 'accepted', '', '', ''])).not.toBe(key);
    expect(taskListKey(['all', '', '', '', ''])).not.toBe(key);
  });

  it('refuses anything that is not exactly a cursor of this list', () => {
    const cursor = encodeTaskListCursor({ dueOn: '2026-02-22', id }, key);
    const other = taskListKey(['all', '', '', '', '']);
    expect(() => decodeTaskListCursor(cursor, other)).toThrow(expect.objectContaining({ code: 'TASK_CURSOR_FOREIGN' }));
    const remade = (text: string): string => Buffer.from(text).toString('base64url');
    for (const bad of ['', '游标', `${cursor}==`, remade(`1.2026-13-01.${id}.${key}`), remade(`1.2026-02-22.${id}`), remade(`0.2026-02-22.${id}.${key}`), 'A'.repeat(201)]) {
      expect(() => decodeTaskListCursor(bad, key)).toThrow(expect.objectContaining({ code: 'TASK_CURSOR_INVALID' }));
    }
  });
});
