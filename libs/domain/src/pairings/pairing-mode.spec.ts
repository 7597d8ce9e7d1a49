import { addTotals, checkMetrics, pairingModes } from './pairing-mode';

describe('pairing modes and work metrics', () => {
  it('derives 一对一, 一对多 and 多对一 from the current pairings', () => {
    const modes = pairingModes([
      { id: 'a', assistedId: 'A', helperId: 'H1' },
      { id: 'b', assistedId: 'B', helperId: 'H2' },
      { id: 'c', assistedId: 'C', helperId: 'H2' },
      { id: 'd', assistedId: 'D', helperId: 'H3' },
      { id: 'e', assistedId: 'D', helperId: 'H4' },
    ]);
    expect(Object.fromEntries(modes)).toEqual({ a: 'one_to_one', b: 'one_to_many', c: 'one_to_many', d: 'many_to_one', e: 'many_to_one' });
  });

  it('checks metrics per area: known keys, non-negative, integers except 万元', () => {
    expect(checkMetrics('funds', { amount: 12.5, projects: 2 })).toEqual([]);
    expect(checkMetrics('funds', { projects: 2.5, people: 1, amount: -1 }).map((p) => p.field)).toEqual(['metrics.projects', 'metrics.people', 'metrics.amount']);
    expect(checkMetrics('meeting', { x: 1 })).toHaveLength(1);
  });

  it('sums metrics and counts meetings and visits', () => {
    const t = {};
    addTotals(t, 'industry', { projects: 1, investment: 0.1 });
    addTotals(t, 'industry', { projects: 2, investment: 0.2 });
    addTotals(t, 'meeting', {});
    addTotals(t, 'visit', {});
    expect(t).toEqual({ 'industry.projects': 3, 'industry.investment': 0.3, meetings: 1, visits: 1 });
  });
});
