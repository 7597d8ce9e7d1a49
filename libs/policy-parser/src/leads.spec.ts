import { findLeadClauses, mergeLeadClauses, parseClause } from './leads';
import type { LeadClause } from './parsed-document.types';
import { splitUnits } from './units';

describe('parseClause', () => {
  it.each([
    ['省财政厅牵头负责', ['省财政厅'], 'single', []],
    ['省发展改革委、省财政厅分别牵头负责', ['省发展改革委', '省财政厅'], 'respective', []],
    ['省人社厅、省乡村振兴局牵头负责', ['省人社厅', '省乡村振兴局'], 'joint', []],
    ['省残联、省教育厅负责', ['省残联', '省教育厅'], 'joint', []],
    ['省教育厅会同省财政厅负责', ['省教育厅'], 'single', ['省财政厅']],
    ['省教育厅会同省财政厅、省人社厅负责', ['省教育厅'], 'single', ['省财政厅', '省人社厅']],
    ['省商务厅牵头，省财政厅配合', ['省商务厅'], 'single', ['省财政厅']],
    ['市人社局牵头，市发改委、财政局负责', ['市人社局'], 'single', ['市发改委', '财政局']],
    ['省发展改革委牵头，省有关部门按职责分工负责', ['省发展改革委'], 'single', ['省有关部门']],
    ['由各市人民政府负责', ['各市人民政府'], 'single', []],
    ['牵头单位：省发展改革委；配合单位：省财政厅、省自然资源厅', ['省发展改革委'], 'single', ['省财政厅', '省自然资源厅']],
    ['负责部门：省农业农村厅；适用范围：全省46个重点帮扶县', ['省农业农村厅'], 'single', []],
    ['责任单位：市工信局、市财政局', ['市工信局', '市财政局'], 'joint', []],
    ['各县（市、区）人民政府负责', ['各县（市、区）人民政府'], 'single', []],
    ['各市、县（区）人民政府，有关部门负责', ['各市、县（区）人民政府', '有关部门'], 'joint', []],
  ])('%s', (content, leads, mode, cooperating) => {
    const c = parseClause(content, false);
    expect(c).not.toBeNull();
    expect(c?.leads).toEqual(leads);
    expect(c?.mode).toBe(mode);
    expect(c?.cooperating).toEqual(cooperating);
  });

  it('applies the first-listed-is-lead convention only to plain 负责 lists', () => {
    expect(parseClause('省发展改革委、省财政厅、省商务厅负责', true)).toMatchObject({
      leads: ['省发展改革委'],
      cooperating: ['省财政厅', '省商务厅'],
      mode: 'single',
      byConvention: true,
    });
    expect(parseClause('省发展改革委、省财政厅分别牵头负责', true)?.mode).toBe('respective');
    expect(parseClause('省发展改革委、省财政厅牵头负责', true)?.mode).toBe('joint');
  });

  it('reads a convention stated inside the clause itself', () => {
    expect(parseClause('省工信厅、省财政厅负责，列第一位者为牵头单位，下同', false)).toMatchObject({
      leads: ['省工信厅'],
      cooperating: ['省财政厅'],
      byConvention: true,
    });
  });

  it('refuses prose that only mentions a unit', () => {
    expect(parseClause('以下简称重点帮扶县', false)).toBeNull();
    expect(parseClause('负责', false)).toBeNull();
  });
});

describe('findLeadClauses', () => {
  it('finds parenthesised and line-form clauses with their spans', () => {
    const text = '（三）加强监督。开展检查（以下简称检查）。（省审计厅牵头负责）\n责任单位：省财政厅。';
    const { clauses, unparsed } = findLeadClauses(text, 100, () => false);
    expect(unparsed).toEqual([]);
    expect(clauses.map((c) => c.leads)).toEqual([['省审计厅'], ['省财政厅']]);
    expect(clauses[0].span).toEqual({ start: 100 + text.indexOf('（省审计厅'), end: 100 + text.indexOf('\n') });
  });

  it('merges 牵头单位 and 配合单位 written on consecutive lines', () => {
    const text = '（一）做好一件事。\n牵头单位：省发展改革委\n配合单位：省财政厅、省商务厅';
    const { clauses } = findLeadClauses(text, 0, () => false);
    expect(clauses).toHaveLength(1);
    expect(clauses[0]).toMatchObject({ leads: ['省发展改革委'], cooperating: ['省财政厅', '省商务厅'], mode: 'single' });
  });

  it('reports a clause it recognises but cannot read', () => {
    const { clauses, unparsed } = findLeadClauses('做好工作。（按照上级要求，结合实际，认真研究后负责）', 0, () => false);
    expect(clauses).toEqual([]);
    expect(unparsed).toHaveLength(1);
  });
});

describe('mergeLeadClauses', () => {
  const clause = (leads: string[], mode: LeadClause['mode']): LeadClause => ({ text: '', leads, cooperating: [], mode, byConvention: false, span: { start: 0, end: 0 } });

  it('unions leads; two single clauses naming different units become respective', () => {
    expect(mergeLeadClauses([clause(['A厅'], 'single'), clause(['B厅'], 'single')])).toEqual({ leads: ['A厅', 'B厅'], cooperating: [], mode: 'respective', conflict: false });
  });

  it('flags joint and respective clauses together as a conflict', () => {
    const m = mergeLeadClauses([clause(['A厅', 'B厅'], 'joint'), clause(['C厅', 'D厅'], 'respective')]);
    expect(m).toMatchObject({ leads: ['A厅', 'B厅', 'C厅', 'D厅'], mode: 'respective', conflict: true });
  });

  it('keeps one unit named twice single', () => {
    expect(mergeLeadClauses([clause(['A厅'], 'single'), clause(['A厅'], 'single')]).mode).toBe('single');
  });
});

describe('splitUnits', () => {
  it('keeps shared-suffix collectives and bracketed lists whole', () => {
    expect(splitUnits('各市、县（区）人民政府')).toEqual(['各市、县（区）人民政府']);
    expect(splitUnits('省发改委、相关市、县政府')).toEqual(['省发改委', '相关市、县政府']);
    expect(splitUnits('哈尔滨、黑河、绥芬河市政府、省农垦总局')).toEqual(['哈尔滨、黑河、绥芬河市政府', '省农垦总局']);
    expect(splitUnits('各县（市、区）人民政府、省财政厅')).toEqual(['各县（市、区）人民政府', '省财政厅']);
  });

  it('splits 和/及 only between two complete names', () => {
    expect(splitUnits('省住房和城乡建设厅')).toEqual(['省住房和城乡建设厅']);
    expect(splitUnits('省财政厅和省发展改革委')).toEqual(['省财政厅', '省发展改革委']);
    expect(splitUnits('市级各有关部门及各县市区政府')).toEqual(['市级各有关部门', '各县市区政府']);
    expect(splitUnits('省发展改革委、省财政厅等有关部门')).toEqual(['省发展改革委', '省财政厅']);
  });
});
