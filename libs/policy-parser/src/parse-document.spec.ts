import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanText } from './clean-text';
import { parseDocument, parseDocumentStrict, parseDocumentWithText } from './parse-document';
import type { LeadMode, Measure } from './parsed-document.types';
import { NoMeasuresError } from './policy-parser.errors';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'test', 'fixtures', name), 'utf8');

describe('seed 000: 晋乡振发〔2022〕11号 关于支持乡村振兴重点帮扶县加快发展的若干政策措施', () => {
  const raw = fixture('000_a562abd291d0ca74.txt');
  const { document: doc, cleanedText } = parseDocumentWithText(raw);
  const m = (no: number): Measure => {
    const found = doc.measures.find((x) => x.no === no);
    if (!found) throw new Error(`measure ${no} missing`);
    return found;
  };

  it('reads the metadata', () => {
    expect(doc.docNumber).toBe('晋乡振发〔2022〕11号');
    expect(doc.title).toContain('关于支持乡村振兴重点帮扶县加快发展的若干政策措施');
    expect(doc.title).toBe('关于印发《关于支持乡村振兴重点帮扶县加快发展的若干政策措施》的通知');
    expect(doc.enclosedTitle).toBe('关于支持乡村振兴重点帮扶县加快发展的若干政策措施');
    expect(doc.issuer).toBe('山西省乡村振兴局');
    expect(doc.issuedOn).toBe('2022-02-08');
    expect(doc.addressees).toEqual(['各市、县（区）人民政府']);
  });

  it('reads the 17 cc units, joining names broken across lines', () => {
    expect(doc.cc).toEqual([
      '省科技厅', '省工信厅', '省民政厅', '省水利厅', '省商务厅', '省文旅厅', '省应急厅', '省国资委', '省地方金融监管局',
      '省能源局', '省医保局', '省林草局', '省工商联', '省残联', '省邮政管理局', '省通信管理局', '国网山西省电力公司',
    ]);
  });

  it('finds 31 measures in 8 sections, numbered as printed', () => {
    expect(doc.sections.map((s) => [s.no, s.heading])).toEqual([
      [1, '加大资金项目支持力度'],
      [2, '加大巩固“三保障”和饮水安全成果力度'],
      [3, '加大产业就业帮扶力度'],
      [4, '加大基础设施建设力度'],
      [5, '加大公共服务建设力度'],
      [6, '加大兜底救助保障力度'],
      [7, '加大各方力量帮扶力度'],
      [8, '加大要素保障支撑力度'],
    ]);
    expect(doc.measures).toHaveLength(31);
    expect(doc.measures.map((x) => x.no)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(m(17).label).toBe('（十七）');
    expect(m(17).title).toBe('提升水利基础设施水平');
    expect(m(1).title).toBe('加大财政资金支持力度');
    expect(m(1).text.startsWith('省级财政衔接推进乡村振兴补助资金')).toBe(true);
    expect(m(1).text).not.toContain('牵头负责');
    const sectionOf = doc.measures.map((x) => x.section);
    expect(sectionOf).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8]);
    expect(doc.warnings).toEqual([]);
  });

  // Read off the document, clause by clause.
  const LEADS: [number, string[], LeadMode][] = [
    [1, ['省财政厅'], 'single'],
    [2, ['省地方金融监管局', '中国人民银行太原中心支行'], 'respective'],
    [3, ['省发展改革委', '省财政厅'], 'respective'],
    [4, ['省教育厅'], 'single'],
    [5, ['省卫健委', '省人社厅', '省医保局'], 'respective'],
    [6, ['省住建厅'], 'single'],
    [7, ['省水利厅'], 'single'],
    [8, ['省乡村振兴局', '省发展改革委', '省农业农村厅', '省财政厅', '省人社厅'], 'respective'],
    [9, ['省农业农村厅'], 'single'],
    [10, ['省农业农村厅', '省乡村振兴局'], 'respective'],
    [11, ['省农业农村厅', '省乡村振兴局', '省商务厅'], 'respective'],
    [12, ['省农业农村厅', '省科技厅'], 'respective'],
    [13, ['省文旅厅', '省农业农村厅', '省教育厅'], 'respective'],
    [14, ['省林草局'], 'single'],
    [15, ['省人社厅', '省发展改革委', '省农业农村厅', '省乡村振兴局'], 'joint'],
    [16, ['省人社厅', '省乡村振兴局'], 'joint'],
    [17, ['省水利厅'], 'single'],
    [18, ['省发展改革委', '省能源局', '国网山西省电力公司'], 'respective'],
    [19, ['省交通厅', '省财政厅'], 'respective'],
    [20, ['省通信管理局', '省工信厅'], 'respective'],
    [21, ['省文旅厅'], 'single'],
    [22, ['省应急厅'], 'single'],
    [23, ['省发展改革委', '省邮政管理局'], 'respective'],
    [24, ['省民政厅'], 'single'],
    [25, ['省残联', '省教育厅'], 'joint'],
    [26, ['省委组织部', '省乡村振兴局'], 'respective'],
    [27, ['省国资委', '省工商联'], 'respective'],
    [28, ['省乡村振兴局'], 'single'],
    [29, ['省委组织部', '省人社厅'], 'respective'],
    [30, ['省自然资源厅'], 'single'],
    [31, ['省农业农村厅', '省乡村振兴局', '省财政厅'], 'respective'],
  ];

  it('reads every measure’s lead departments and lead mode', () => {
    expect(doc.measures.map((x) => [x.no, x.leads, x.leadMode])).toEqual(LEADS);
    expect(doc.measures.every((x) => x.cooperating.length === 0)).toBe(true);
  });

  it('gives each measure a span in the cleaned text that starts at its label and ends at its clause', () => {
    expect(cleanText(raw)).toBe(cleanedText);
    for (const x of doc.measures) {
      const printed = cleanedText.slice(x.span.start, x.span.end);
      expect(printed.startsWith(x.label)).toBe(true);
      expect(printed.endsWith(x.leadClauses[x.leadClauses.length - 1].text)).toBe(true);
    }
  });

  it('names the counties of （一） and （二）', () => {
    expect(m(1).places).toEqual(expect.arrayContaining(['应县', '盂县', '黎城县', '绛县']));
    expect(m(2).places).toEqual(expect.arrayContaining(['云州区', '右玉县', '应县', '繁峙县', '河曲县', '盂县']));
    expect(m(5).places).toEqual(expect.arrayContaining(['朔州市', '应县']));
    expect(m(19).places).toEqual([]); // 先行示范县, 整体推进县, 示范县 are categories
  });

  it('reads the targets of （十）', () => {
    expect(m(10).targets.map((t) => [t.indicator, t.baseline, t.value, t.unit, t.comparator, t.year, t.perUnit, t.recurrence])).toEqual([
      ['重点帮扶县国家级龙头企业数量', 5, 8, '家', '>=', 2025, null, null],
      ['重点帮扶县省级龙头企业数量', 150, 220, '家', '>=', 2025, null, null],
      ['支持重点帮扶县实施优势特色产业集群、农业产业强镇项目', null, 1, '个', '>=', 2025, null, 'annual'],
    ]);
  });

  it('reads the targets of （十二）', () => {
    expect(m(12).targets.map((t) => [t.indicator, t.value, t.unit, t.comparator, t.perUnit])).toEqual([
      ['招聘特聘农技员', 2, '名', '>=', '县'],
      ['主要农作物良种普及率', 96, '%', '>=', null],
      ['主推技术到位率', 95, '%', '>=', null],
    ]);
  });

  it('reads the targets of （十六）, including a cap', () => {
    expect(m(16).targets.map((t) => [t.value, t.unit, t.comparator, t.perUnit, t.year])).toEqual([
      [1, '个', '>=', '县', 2025],
      [20, '万元', '<=', null, null],
    ]);
  });

  it('treats 入户工程补助50%政策 as a subsidy rate, not a target', () => {
    expect(m(7).targets).toEqual([]);
  });

  it('resolves deadlines of （十）, （十九） and （三十）', () => {
    expect(m(10).deadlines).toEqual([
      { text: '到2025年', date: '2025-12-31', kind: 'point', start: null, recurrence: null },
      { text: '每年', date: null, kind: 'recurring', start: null, recurrence: 'annual' },
    ]);
    expect(m(19).deadlines).toEqual([
      { text: '过渡期内', date: '2025-12-31', kind: 'period', start: '2021-01-01', recurrence: null },
      { text: '“十四五”末', date: '2025-12-31', kind: 'point', start: null, recurrence: null },
    ]);
    expect(m(30).deadlines.map((d) => [d.text, d.date, d.kind])).toEqual([
      ['过渡期内', '2025-12-31', 'period'],
      ['每年', null, 'recurring'],
    ]);
    expect(m(1).deadlines[0]).toMatchObject({ text: '2021-2023年', date: '2023-12-31', kind: 'period' });
  });
});

describe('seed 004: 晋乡振发〔2021〕29号 关于进一步深化市域内县际结对帮扶工作的通知', () => {
  const doc = parseDocument(fixture('004_24f8692a3fe2826a.txt'));

  it('reads the metadata', () => {
    expect(doc.docNumber).toBe('晋乡振发〔2021〕29号');
    expect(doc.issuer).toBe('山西省乡村振兴局');
    expect(doc.issuedOn).toBe('2021-08-11');
    expect(doc.title).toBe('关于进一步深化市域内县际结对帮扶工作的通知');
    expect(doc.addressees).toEqual(['各市乡村振兴局']);
    expect(doc.cc).toEqual([]);
    expect(doc.contacts).toEqual([{ name: '李子豪', phone: '13994996777' }]);
  });

  it('reads the statistics form', () => {
    expect(doc.forms).toEqual([
      {
        title: '全省市域内县际结对帮扶情况统计表',
        columns: ['市名', '重点帮扶县', '结对帮扶县', '具体负责人', '单位及职务', '联系方式', '备注'],
        headerFields: ['填报单位', '填报时间'],
        footerFields: ['填表人', '联系方式'],
      },
    ]);
  });

  it('reads the request due 8月23日 with its addressees, e-mail and attachment', () => {
    const dated = doc.requests.filter((r) => r.date !== null);
    expect(dated).toHaveLength(1);
    expect(dated[0]).toMatchObject({
      text: '各市于8月23日前，将本市域内县际结对帮扶统计表（附件）报送邮箱 sxczxshz@163.com。',
      date: '2021-08-23',
      addressees: ['各市'],
      emails: ['sxczxshz@163.com'],
      attachments: ['全省市域内县际结对帮扶情况统计表'],
    });
  });

  it('takes the five tasks under 三、主要任务 as measures and invents no leads', () => {
    expect(doc.sections.map((s) => s.heading)).toEqual(['总体要求', '基本原则', '主要任务', '组织保障']);
    expect(doc.measures.map((x) => [x.label, x.title, x.section])).toEqual([
      ['（一）', '开展产业合作', 3],
      ['（二）', '组织劳务协作', 3],
      ['（三）', '加强人才支援', 3],
      ['（四）', '加大资金支持', 3],
      ['（五）', '动员社会参与', 3],
    ]);
    expect(doc.measures.every((x) => x.leads.length === 0 && x.leadMode === null && x.cooperating.length === 0)).toBe(true);
    expect(doc.warnings.some((w) => w.includes('未找到牵头单位'))).toBe(true);
  });

  it('mentions the 46 key assisted counties', () => {
    expect(doc.places).toContain('46个重点帮扶县');
  });
});

describe('parseDocumentStrict', () => {
  it('rejects a document without measures', () => {
    expect(() => parseDocumentStrict('关于召开会议的通知\n各单位：\n定于下周召开会议，请准时参加。')).toThrow(NoMeasuresError);
    expect(() => parseDocumentStrict('')).toThrow(expect.objectContaining({ code: 'DOCUMENT_NO_MEASURES' }));
  });
});

describe('parseDocument on arbitrary input', () => {
  const piece = fc.constantFrom(
    '一、', '（一）', '（二）', '1.', '2、', '序号\t任务\t牵头单位\n', '1\t任务\t省财政厅\n', '（省财政厅牵头负责）', '（省教育厅、省财政厅分别牵头负责）',
    '（牵头单位：省商务厅；配合单位：省财政厅）', '责任单位：', '列第一位者为牵头单位', '到2025年', '8月23日前', '达到96%以上', '不少于2名',
    '应县、盂县', '各市', '抄送：', '附件', '晋乡振发〔2022〕11号', '2021年8月11日', '。', '，', '、', '（', '）', '\n', '\n\n', ' ', '做好工作',
  );

  it('never throws, and every span lies inside the cleaned text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 80 }), (parts) => {
        const { document, cleanedText } = parseDocumentWithText(parts.join(''));
        for (const x of document.measures) {
          expect(x.span.start).toBeGreaterThanOrEqual(0);
          expect(x.span.end).toBeLessThanOrEqual(cleanedText.length);
          expect(x.span.start).toBeLessThanOrEqual(x.span.end);
        }
        expect(new Set(document.measures.map((x) => x.no)).size).toBe(document.measures.length);
      }),
      { numRuns: 1500 },
    );
  });
});
