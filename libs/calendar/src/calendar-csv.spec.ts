import { CalendarCsvError } from './calendar.errors';
import { parseCalendarCsv } from './calendar-csv';

// FICTIONAL sample rows for 2027 and 2028: not a real State Council arrangement.
describe('parseCalendarCsv', () => {
  it('reads a notice with BOM, CRLF, comments and an optional name', () => {
    const text = '\uFEFFdate,kind,name\r\n# 虚构示例（FICTIONAL）\r\n2027-02-20,makeup_workday,春节\r\n2027-01-01,holiday,元旦\r\n\r\n2027-06-09,holiday,\r\n';
    expect(parseCalendarCsv(text)).toEqual({
      days: [
        { day: '2027-01-01', kind: 'holiday', name: '元旦' },
        { day: '2027-02-20', kind: 'makeup_workday', name: '春节' },
        { day: '2027-06-09', kind: 'holiday', name: null },
      ],
      years: [2027],
      rejected: [],
    });
  });

  it('accepts the columns in any order and without name', () => {
    expect(parseCalendarCsv('kind,date\nholiday,2028-01-01\n').days).toEqual([{ day: '2028-01-01', kind: 'holiday', name: null }]);
  });

  it('reports every bad row with its line and reason', () => {
    const text = [
      'date,kind,name', // 1
      '2028-02-30,holiday,春节', // 2 impossible date
      '2028/01/01,holiday,元旦', // 3 wrong format
      '2028-01-03,vacation,', // 4 unknown kind
      '2028-01-04,makeup_workday,元旦', // 5 a Tuesday
      '2028-01-08,workday,', // 6 a Saturday
      '2028-01-01,holiday,元旦', // 7 fine
      '2028-01-01,holiday,元旦', // 8 duplicate of line 7
      '2028-01-02,holiday,元旦,extra', // 9 too many cells
      '"2028-01-05",holiday,"两行', // 10
      '名称"', // 11 (the record above ends here)
      ',holiday,', // 12 empty date
    ].join('\n');
    const result = parseCalendarCsv(text);
    expect(result.rejected).toEqual([
      { row: 2, reason: '日期无效：“2028-02-30”（应为 YYYY-MM-DD 格式的真实日期）' },
      { row: 3, reason: '日期无效：“2028/01/01”（应为 YYYY-MM-DD 格式的真实日期）' },
      { row: 4, reason: '类型未知：“vacation”（可用：holiday、makeup_workday、workday）' },
      { row: 5, reason: '2028-01-04 是星期二，调休上班日（makeup_workday）只能是周六或周日' },
      { row: 6, reason: '2028-01-08 是星期六，周末上班请用 makeup_workday' },
      { row: 8, reason: '日期 2028-01-01 重复（第 7 行已有）' },
      { row: 9, reason: '该行有 4 列，表头只有 3 列' },
      { row: 12, reason: '日期为空' },
    ]);
    expect(result.days.map((d) => d.day)).toEqual(['2028-01-01', '2028-01-05']);
  });

  it('throws on a missing or wrong header and on an empty file', () => {
    expect(() => parseCalendarCsv('')).toThrow(CalendarCsvError);
    expect(() => parseCalendarCsv('date,kind,name\n')).toThrow(expect.objectContaining({ code: 'CALENDAR_CSV_EMPTY' }) as Error);
    expect(() => parseCalendarCsv('2027-01-01,holiday,元旦\n')).toThrow(expect.objectContaining({ code: 'CALENDAR_CSV_BAD_HEADER' }) as Error);
    expect(() => parseCalendarCsv('date,type\n2027-01-01,holiday\n')).toThrow(/未知的列：type；缺少必需的列：kind/);
    expect(() => parseCalendarCsv('date,kind\n"2027-01-01,holiday\n')).toThrow(expect.objectContaining({ code: 'CALENDAR_CSV_MALFORMED' }) as Error);
  });
});
