import { findTargets } from './targets';

const ctx = { referenceDate: '2022-02-08' };

describe('findTargets', () => {
  it('reads baseline and target: 由现在的5家增长到8家以上', () => {
    expect(findTargets('力争到2025年重点帮扶县国家级龙头企业数量由现在的5家增长到8家以上。', ctx)).toEqual([
      {
        text: '力争到2025年重点帮扶县国家级龙头企业数量由现在的5家增长到8家以上',
        indicator: '重点帮扶县国家级龙头企业数量',
        baseline: 5,
        value: 8,
        unit: '家',
        comparator: '>=',
        year: 2025,
        perUnit: null,
        recurrence: null,
      },
    ]);
  });

  it('reads rates: 达到96%以上', () => {
    const t = findTargets('实现主要农作物良种普及率达到96%以上，主推技术到位率达到95%以上。', ctx);
    expect(t.map((x) => [x.indicator, x.value, x.unit, x.comparator])).toEqual([
      ['主要农作物良种普及率', 96, '%', '>='],
      ['主推技术到位率', 95, '%', '>='],
    ]);
  });

  it('reads minimums per unit: 每县…不少于2名', () => {
    const [t] = findTargets('每县从种养能手中招聘不少于2名的特聘农技员。', ctx);
    expect(t).toMatchObject({ value: 2, unit: '名', comparator: '>=', perUnit: '县', indicator: '招聘特聘农技员' });
  });

  it('reads Chinese numerals and per-county targets: 每个重点帮扶县至少有一个', () => {
    const [t] = findTargets('力争到2025年，每个重点帮扶县至少有一个在全国叫得响的劳务品牌。', ctx);
    expect(t).toMatchObject({ value: 1, unit: '个', comparator: '>=', perUnit: '县', year: 2025, indicator: '在全国叫得响的劳务品牌' });
  });

  it('reads yearly targets and caps', () => {
    expect(findTargets('至2025年，每年支持至少1个重点帮扶县实施项目。', ctx)[0]).toMatchObject({ value: 1, unit: '个', comparator: '>=', recurrence: 'annual', year: 2025 });
    expect(findTargets('给予最高20万元的一次性奖补。', ctx)[0]).toMatchObject({ value: 20, unit: '万元', comparator: '<=', indicator: '给予一次性奖补' });
    expect(findTargets('城镇登记失业率控制在4.5%以内。', ctx)[0]).toMatchObject({ indicator: '城镇登记失业率', value: 4.5, comparator: '<=' });
    expect(findTargets('综合能耗不超过3万吨。', ctx)[0]).toMatchObject({ value: 3, unit: '万吨', comparator: '<=' });
    expect(findTargets('覆盖率不低于90%。', ctx)[0]).toMatchObject({ indicator: '覆盖率', value: 90, comparator: '>=' });
  });

  it('leaves out rates and counts with no goal word, and conditions', () => {
    expect(findTargets('对农村脱贫人口实施入户工程补助50%政策。', ctx)).toEqual([]);
    expect(findTargets('为36个重点帮扶县每年单列用地计划指标。', ctx)).toEqual([]);
    expect(findTargets('对正常运营一年以上的创业孵化基地给予支持。', ctx)).toEqual([]);
  });
});
