/**
 * One small synthetic document per family of responsibility clause and numbering style the
 * parser must handle (the seeds cover only some of them).
 */
import { parseDocument } from './parse-document';
import type { Measure } from './parsed-document.types';

const leadsOf = (text: string): [string, string[], string | null, string[]][] =>
  parseDocument(text).measures.map((m: Measure) => [m.label, m.leads, m.leadMode, m.cooperating]);

describe('lead clause families', () => {
  it('（A牵头负责）', () => {
    expect(leadsOf('一、总体\n（一）做好甲工作。（省财政厅牵头负责）\n（二）做好乙工作。（省教育厅牵头负责）')).toEqual([
      ['（一）', ['省财政厅'], 'single', []],
      ['（二）', ['省教育厅'], 'single', []],
    ]);
  });

  it('（A、B分别牵头负责）: one task per unit', () => {
    expect(leadsOf('（一）做好甲工作。（省发展改革委、省财政厅分别牵头负责）')).toEqual([['（一）', ['省发展改革委', '省财政厅'], 'respective', []]]);
  });

  it('（A、B负责） and （A、B牵头负责）: one task, several units', () => {
    expect(leadsOf('（一）做好甲工作。（省残联、省教育厅负责）\n（二）做好乙工作。（省人社厅、省乡村振兴局牵头负责）')).toEqual([
      ['（一）', ['省残联', '省教育厅'], 'joint', []],
      ['（二）', ['省人社厅', '省乡村振兴局'], 'joint', []],
    ]);
  });

  it('（A会同B负责）: A leads, B cooperates', () => {
    expect(leadsOf('（一）做好甲工作。（省教育厅会同省财政厅负责）')).toEqual([['（一）', ['省教育厅'], 'single', ['省财政厅']]]);
  });

  it('（A牵头，B配合）', () => {
    expect(leadsOf('（一）做好甲工作。（省商务厅牵头，省财政厅、省税务局配合）')).toEqual([['（一）', ['省商务厅'], 'single', ['省财政厅', '省税务局']]]);
  });

  it('a convention stated once and carried on: 列第一位者为牵头单位，下同', () => {
    const doc = '（一）做好甲工作。（省工信厅、省财政厅负责，列第一位者为牵头单位，下同）\n（二）做好乙工作。（省商务厅、省发展改革委、省统计局负责）\n（三）做好丙工作。（省教育厅、省人社厅分别牵头负责）';
    expect(leadsOf(doc)).toEqual([
      ['（一）', ['省工信厅'], 'single', ['省财政厅']],
      ['（二）', ['省商务厅'], 'single', ['省发展改革委', '省统计局']],
      ['（三）', ['省教育厅', '省人社厅'], 'respective', []],
    ]);
  });

  it('a convention stated in the preamble: 排在第一位的部门为牵头部门', () => {
    const doc = '各项任务中，排在第一位的部门为牵头部门。\n1.做好甲工作。（省农业农村厅、省水利厅负责）\n2.做好乙工作。（省林草局负责）';
    expect(leadsOf(doc)).toEqual([
      ['1.', ['省农业农村厅'], 'single', ['省水利厅']],
      ['2.', ['省林草局'], 'single', []],
    ]);
  });

  it('without a convention the same list is joint', () => {
    expect(leadsOf('1.做好甲工作。（省农业农村厅、省水利厅负责）')).toEqual([['1.', ['省农业农村厅', '省水利厅'], 'joint', []]]);
  });

  it('labelled clauses: （牵头单位：A；配合单位：B、C） and （负责部门：A；适用范围：…）', () => {
    const doc = '（一）做好甲工作。（牵头单位：省发展改革委；配合单位：省财政厅、省自然资源厅）\n（二）做好乙工作。（负责部门：省农业农村厅；适用范围：全省46个重点帮扶县）';
    expect(leadsOf(doc)).toEqual([
      ['（一）', ['省发展改革委'], 'single', ['省财政厅', '省自然资源厅']],
      ['（二）', ['省农业农村厅'], 'single', []],
    ]);
  });

  it('line form: 责任单位：A', () => {
    const doc = '1.做好甲工作，建立长效机制。\n责任单位：省卫健委\n2.做好乙工作。\n牵头单位：省医保局\n配合单位：省财政厅';
    expect(leadsOf(doc)).toEqual([
      ['1.', ['省卫健委'], 'single', []],
      ['2.', ['省医保局'], 'single', ['省财政厅']],
    ]);
  });

  it('a measure with several lead clauses: leads merged, a conflict of modes reported', () => {
    const doc = '（一）做好甲工作。（省财政厅牵头负责）做好乙工作。（省教育厅牵头负责）\n（二）做好丙工作。（省民政厅、省残联牵头负责）做好丁工作。（省卫健委、省医保局分别牵头负责）';
    const parsed = parseDocument(doc);
    expect(parsed.measures.map((m) => [m.leads, m.leadMode])).toEqual([
      [['省财政厅', '省教育厅'], 'respective'],
      [['省民政厅', '省残联', '省卫健委', '省医保局'], 'respective'],
    ]);
    expect(parsed.measures[1].leadClauses.map((c) => c.mode)).toEqual(['joint', 'respective']);
    expect(parsed.warnings).toEqual([expect.stringContaining('（二） 含多个牵头条款且方式不一致')]);
  });

  it('collective units are kept as printed', () => {
    const doc = '（一）做好甲工作。（各市人民政府负责）\n（二）做好乙工作。（各县（市、区）人民政府、有关部门负责）\n（三）做好丙工作。（省民政厅牵头，各市配合）';
    expect(leadsOf(doc)).toEqual([
      ['（一）', ['各市人民政府'], 'single', []],
      ['（二）', ['各县（市、区）人民政府', '有关部门'], 'joint', []],
      ['（三）', ['省民政厅'], 'single', ['各市']],
    ]);
  });

  it('documents with no lead clauses: no leads invented, a warning', () => {
    const parsed = parseDocument('一、主要任务\n（一）做好甲工作。\n（二）做好乙工作。');
    expect(parsed.measures.map((m) => [m.leads, m.leadMode])).toEqual([
      [[], null],
      [[], null],
    ]);
    expect(parsed.warnings).toEqual([expect.stringContaining('未找到牵头单位条款')]);
  });

  it('reports a clause it cannot read and measures without leads', () => {
    const parsed = parseDocument('（一）做好甲工作。（省财政厅牵头负责）\n（二）做好乙工作。（按照要求，结合实际负责）\n（三）做好丙工作。');
    expect(parsed.warnings).toEqual([
      expect.stringContaining('（二） 无法解析的责任条款：（按照要求，结合实际负责）'),
      expect.stringContaining('（二）做好乙工作 未找到牵头单位'),
      expect.stringContaining('（三）做好丙工作 未找到牵头单位'),
    ]);
  });
});

describe('numbering families', () => {
  it('measures numbered 一、 (no sections above them)', () => {
    const parsed = parseDocument('一、加强领导。健全机制。（省委组织部牵头负责）\n二、强化保障。（省财政厅负责）');
    expect(parsed.sections).toEqual([]);
    expect(parsed.measures.map((m) => [m.no, m.label, m.section, m.title])).toEqual([
      [1, '一、', null, '加强领导'],
      [2, '二、', null, '强化保障'],
    ]);
  });

  it('measures numbered 1、 under （一） headings under 一、 sections', () => {
    const doc = '一、重点任务\n（一）产业发展\n1、培育龙头企业。（省农业农村厅负责）\n2、建设产业园。（省发展改革委负责）\n（二）就业帮扶\n3、开展培训。（省人社厅负责）';
    const parsed = parseDocument(doc);
    expect(parsed.sections.map((s) => s.heading)).toEqual(['重点任务']);
    expect(parsed.measures.map((m) => [m.no, m.label, m.section, m.subsection?.heading])).toEqual([
      [1, '1、', 1, '产业发展'],
      [2, '2、', 1, '产业发展'],
      [3, '3、', 1, '就业帮扶'],
    ]);
  });

  it('numbering that restarts per section keeps the printed label and a unique running no', () => {
    const doc = '一、产业\n（一）甲。（省农业农村厅负责）\n（二）乙。（省商务厅负责）\n二、就业\n（一）丙。（省人社厅负责）\n（二）丁。（省教育厅负责）';
    const parsed = parseDocument(doc);
    expect(parsed.measures.map((m) => [m.no, m.label, m.printedNo, m.section])).toEqual([
      [1, '（一）', 1, 1],
      [2, '（二）', 2, 1],
      [3, '（一）', 1, 2],
      [4, '（二）', 2, 2],
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it('numbering that runs on keeps the printed numbers, and gaps and repeats are reported', () => {
    const gap = parseDocument('（一）甲。（省农业农村厅负责）\n（二）乙。（省商务厅负责）\n（四）丁。（省教育厅负责）');
    expect(gap.measures.map((m) => m.no)).toEqual([1, 2, 4]);
    expect(gap.warnings).toEqual([expect.stringContaining('编号不连续：（二）之后是（四）（缺三）')]);
    const repeat = parseDocument('（一）甲。（省农业农村厅负责）\n（二）乙。（省商务厅负责）\n（二）丙。（省教育厅负责）');
    expect(repeat.measures.map((m) => m.no)).toEqual([1, 2, 3]);
    expect(repeat.warnings).toEqual([expect.stringContaining('编号重复或倒序：（二）之后是（二）')]);
  });

  it('rows of a tab-separated responsibility table', () => {
    const doc = '附件\n重点任务分工表\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n1\t建设数据平台\t省大数据局\t省财政厅\t2022年6月\n2\t开展专项检查\t省审计厅、省财政厅\t\t2022年底前\n3\t完善制度\t省司法厅、省人社厅分别\t\t长期坚持';
    const parsed = parseDocument(doc);
    expect(parsed.measures.map((m) => [m.label, m.title, m.leads, m.leadMode, m.cooperating, m.deadlines.map((d) => d.date), m.source])).toEqual([
      ['1', '建设数据平台', ['省大数据局'], 'single', ['省财政厅'], ['2022-06-30'], 'table-row'],
      ['2', '开展专项检查', ['省审计厅', '省财政厅'], 'joint', [], ['2022-12-31'], 'table-row'],
      ['3', '完善制度', ['省司法厅', '省人社厅'], 'respective', [], [], 'table-row'],
    ]);
    expect(parsed.forms).toEqual([]);
  });

  it('rows of a |-separated table and of a table extracted one cell per line', () => {
    const piped = parseDocument('| 序号 | 任务 | 牵头单位 | 完成时限 |\n| 1 | 修订办法 | 省司法厅 | 2023年 |\n| 2 | 开展评估 | 省统计局 | 2024年 |');
    expect(piped.measures.map((m) => [m.label, m.leads, m.deadlines[0]?.date])).toEqual([
      ['1', ['省司法厅'], '2023-12-31'],
      ['2', ['省统计局'], '2024-12-31'],
    ]);
    const perLine = parseDocument('序号\n\n工作任务\n\n责任单位\n\n1\n\n修订管理办法。\n\n省司法厅\n\n2\n\n开展绩效评估。\n\n省财政厅、省统计局');
    expect(perLine.measures.map((m) => [m.label, m.title, m.leads, m.leadMode])).toEqual([
      ['1', '修订管理办法', ['省司法厅'], 'single'],
      ['2', '开展绩效评估', ['省财政厅', '省统计局'], 'joint'],
    ]);
  });

  it('the convention applies to table rows too', () => {
    const doc = '（各项任务列第一位者为牵头单位）\n序号\t工作任务\t责任单位\n1\t修订办法\t省司法厅、省财政厅';
    expect(parseDocument(doc).measures.map((m) => [m.leads, m.cooperating])).toEqual([[['省司法厅'], ['省财政厅']]]);
  });
});
