import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { inferTemplate } from './form-template';
import { checkForm, isPhone, normalizeDate, type FormUnit } from './form-validation';
import { inspectXlsx } from './xlsx-guard';

const SPEC = inferTemplate({ title: '统计表', columns: ['市名', '重点帮扶县', '结对帮扶县', '具体负责人', '单位及职务', '联系方式', '备注'], headerFields: [], footerFields: [] });
const unit = (id: string, shortName: string, kind: FormUnit['kind'], cityId: string | null, keyAssisted = false): FormUnit => ({ id, code: `c.${id}`, shortName, kind, cityId, keyAssisted });
const UNITS = [unit('sz', '朔州市', 'city_government', 'sz'), unit('dt', '大同市', 'city_government', 'dt'), unit('yx', '应县', 'county', 'sz', true), unit('sc', '朔城区', 'county', 'sz'), unit('yg', '阳高县', 'county', 'dt', true)];
const ctx = (exceptions: string[] = []) => ({
  resolve: (n: string) => UNITS.find((u) => u.shortName === n) ?? null,
  submitterCityId: 'sz',
  crossCityExceptions: new Set(exceptions),
});
const HEADER = { 填报单位: '朔州市乡村振兴局', 填报时间: '2021-08-20', 填表人: '赵六', 联系方式: '0349-2021888' };
const row = (over: Record<string, string> = {}, sourceRow = 1) => ({ values: { 市名: '朔州市', 重点帮扶县: '应县', 结对帮扶县: '朔城区', 具体负责人: '王五', 单位及职务: '副区长', 联系方式: '13994996777', 备注: '', ...over }, sourceRow });

describe('form checks', () => {
  it('infers the pairing form from the notice\'s columns', () => {
    expect(SPEC.kind).toBe('pairing');
    expect(SPEC.columns.map((c) => [c.label, c.type, c.role])).toEqual([
      ['市名', 'unit', 'city'],
      ['重点帮扶县', 'unit', 'assisted'],
      ['结对帮扶县', 'unit', 'helper'],
      ['具体负责人', 'text', 'person'],
      ['单位及职务', 'text', 'title'],
      ['联系方式', 'phone', 'phone'],
      ['备注', 'text', 'remarks'],
    ]);
    expect(inferTemplate({ title: '其他表', columns: ['序号', '项目名称', '金额'], headerFields: [], footerFields: [] }).kind).toBe('generic');
  });

  it('accepts mobiles and landlines with area codes, and nothing else', () => {
    for (const ok of ['13994996777', '0349-2021888', '03512021888', '010-12345678-123', '１３９９４９９６７７７'.normalize('NFKC')]) expect([ok, isPhone(ok)]).toEqual([ok, true]);
    for (const bad of ['1399499677', '23994996777', '2021888', '0349', 'abc', '139949967770']) expect([bad, isPhone(bad)]).toEqual([bad, false]);
    fc.assert(fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (m) => isPhone(m)));
  });

  it('reads dates as officers type them and refuses impossible ones', () => {
    expect(['2021-08-20', '2021/8/20', '2021年8月20日', '2021.8.20'].map(normalizeDate)).toEqual(['2021-08-20', '2021-08-20', '2021-08-20', '2021-08-20']);
    expect(['2021-02-30', '8月20日', '明天'].map(normalizeDate)).toEqual([null, null, null]);
  });

  it('passes a good form and reports every bad cell with its row and column', () => {
    expect(checkForm(SPEC, HEADER, [row()], ctx()).problems).toEqual([]);
    const r = checkForm(SPEC, { ...HEADER, 联系方式: '' }, [row({ 市名: '大同市' }, 4), row({ 结对帮扶县: '阳高县', 联系方式: '123' }, 5), row({}, 6), row({}, 7)], ctx());
    expect(r.problems).toEqual([
      { row: null, column: '联系方式', reason: '必填' },
      { row: 4, column: '市名', reason: '「大同市」不是本单位所在的市' },
      { row: 4, column: '重点帮扶县', reason: '无法核对：同一行的「市名」无效' },
      { row: 4, column: '结对帮扶县', reason: '无法核对：同一行的「市名」无效' },
      { row: 5, column: '结对帮扶县', reason: '「阳高县」不属于朔州市' },
      { row: 5, column: '联系方式', reason: '「123」不是有效的电话号码（手机 11 位，或带区号的固话）' },
      { row: 7, column: '结对帮扶县', reason: '与第 6 行重复（应县、朔城区）' },
    ]);
  });

  it('lets a configured exception pair across cities, and only for the helper', () => {
    const cross = row({ 重点帮扶县: '应县', 结对帮扶县: '阳高县' });
    expect(checkForm(SPEC, HEADER, [cross], ctx()).problems).toHaveLength(1);
    expect(checkForm(SPEC, HEADER, [cross], ctx(['c.yg>c.yx'])).problems).toEqual([]);
  });
});

describe('xlsx guard', () => {
  const limits = { maxBytes: 1 << 20, maxInflatedBytes: 1 << 20, maxRatio: 200 };
  /** A one-entry zip (stored or deflated), enough for the guard's checks. */
  function zip(entries: [string, Buffer][]): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const [name, content] of entries) {
      const data = deflateRawSync(content);
      const n = Buffer.from(name);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(content.length, 22);
      local.writeUInt16LE(n.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(data.length, 20);
      central.writeUInt32LE(content.length, 24);
      central.writeUInt16LE(n.length, 28);
      central.writeUInt32LE(offset, 42);
      locals.push(local, n, data);
      centrals.push(central, n);
      offset += 30 + n.length + data.length;
    }
    const cd = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, cd, end]);
  }
  const parts = (extra: [string, Buffer][] = []): [string, Buffer][] => [['[Content_Types].xml', Buffer.from('<Types/>')], ['xl/workbook.xml', Buffer.from('<workbook/>')], ...extra];

  it('lets a workbook through and stops bombs, oversize files and non-workbooks', () => {
    expect(inspectXlsx(zip(parts()), limits)).toBeNull();
    expect(inspectXlsx(zip(parts([['xl/a.xml', Buffer.alloc(2 << 20, 65)]])), limits)?.code).toBe('FORM_XLSX_BOMB');
    expect(inspectXlsx(zip(parts([['xl/a.xml', Buffer.alloc(100_000, 65)]])), limits)?.message).toMatch(/压缩比/);
    expect(inspectXlsx(Buffer.alloc((1 << 20) + 1), limits)?.code).toBe('FORM_FILE_TOO_LARGE');
    expect(inspectXlsx(Buffer.from('%PDF-1.4'), limits)?.code).toBe('FORM_NOT_XLSX');
    expect(inspectXlsx(zip([['word/document.xml', Buffer.from('<w/>')]]), limits)?.code).toBe('FORM_NOT_XLSX');
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const b = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(bytes)]);
      expect(() => inspectXlsx(b, limits)).not.toThrow();
    }));
  });
});
