import { findDeadlines, timeCellDeadlines } from './deadlines';

const ctx = { referenceDate: '2021-08-11' };

describe('findDeadlines', () => {
  it.each([
    ['力争到2025年实现', '2025-12-31', 'point'],
    ['至2025年，每年支持', '2025-12-31', 'point'],
    ['2025年底前完成', '2025-12-31', 'point'],
    ['“十四五”末，县城全部通高速公路', '2025-12-31', 'point'],
    ['2022年6月底前建成', '2022-06-30', 'point'],
    ['2023年上半年完成', '2023-06-30', 'point'],
    ['2024年第三季度', '2024-09-30', 'point'],
    ['于2021年9月30日前报送', '2021-09-30', 'point'],
    ['8月23日前报送', '2021-08-23', 'point'],
    ['二〇二五年底前', '2025-12-31', 'point'],
  ])('%s -> %s', (text, date, kind) => {
    expect(findDeadlines(text, ctx)[0]).toMatchObject({ date, kind });
  });

  it('reads periods: 过渡期内 and 2021-2023年', () => {
    expect(findDeadlines('过渡期内继续实行', ctx)).toEqual([{ text: '过渡期内', date: '2025-12-31', kind: 'period', start: '2021-01-01', recurrence: null }]);
    expect(findDeadlines('2021-2023年在脱贫县延续', ctx)[0]).toMatchObject({ date: '2023-12-31', kind: 'period', start: '2021-01-01' });
    expect(findDeadlines('“十四五”期间', ctx)[0]).toMatchObject({ kind: 'period', start: '2021-01-01', date: '2025-12-31' });
  });

  it('reads recurring work', () => {
    expect(findDeadlines('每年对重点帮扶县进行考核，每季度通报', ctx).map((d) => d.recurrence)).toEqual(['annual', 'quarterly']);
  });

  it('puts a month-day earlier than the document date into the next year', () => {
    expect(findDeadlines('1月10日前报送', { referenceDate: '2021-12-20' })[0].date).toBe('2022-01-10');
  });

  it('keeps a month-day undated when the document has no date', () => {
    expect(findDeadlines('8月23日前报送', { referenceDate: null })[0]).toMatchObject({ date: null, kind: 'point' });
  });

  it('ignores bare years and drops periods that ended before the document', () => {
    expect(findDeadlines('2020年全省脱贫', ctx)).toEqual([]);
    expect(findDeadlines('较“十三五”时期适当提高', { referenceDate: '2022-02-08', issuedOn: '2022-02-08' })).toEqual([]);
  });

  it('lists each deadline once', () => {
    expect(findDeadlines('到2025年达到8家，到2025年达到220家，至2025年每年支持', ctx).map((d) => d.text)).toEqual(['到2025年', '每年']);
  });
});

describe('timeCellDeadlines', () => {
  it('reads bare dates in a 完成时限 column', () => {
    expect(timeCellDeadlines('2022年6月', ctx)[0].date).toBe('2022-06-30');
    expect(timeCellDeadlines('2023年', ctx)[0].date).toBe('2023-12-31');
    expect(timeCellDeadlines('长期坚持', ctx)).toEqual([]);
  });
});
