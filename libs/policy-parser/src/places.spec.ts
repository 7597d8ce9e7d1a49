import { PlaceMatcher } from './places';

describe('PlaceMatcher', () => {
  const matcher = new PlaceMatcher();

  it('finds Shanxi counties in a 、 list, with their city', () => {
    const found = matcher.find('应县、盂县、黎城县、绛县4个重点帮扶县可参照执行');
    expect(found.map((p) => p.name)).toEqual(['应县', '盂县', '黎城县', '绛县', '4个重点帮扶县']);
    expect(found[0]).toEqual({ name: '应县', kind: 'county', city: '朔州市' });
  });

  it('finds a city and the county right after it', () => {
    expect(matcher.find('没有达到二级甲等水平的朔州市应县人民医院').map((p) => p.name)).toEqual(['朔州市', '应县']);
  });

  it('does not mistake category words or word tails for places', () => {
    const text = '重点帮扶县、脱贫县、试点县和示范县，先行示范县和整体推进县，县域经济，本县市或周边县市，相应县级部门，振兴县域，新绛县';
    expect(matcher.find(text).map((p) => p.name)).toEqual(['新绛县']);
  });

  it('only counts 城区 after its city', () => {
    expect(matcher.find('推进城区改造，阳泉市城区试点').map((p) => p.name)).toEqual(['阳泉市城区']);
  });

  it('finds places of other provinces in a 、 list and known places passed in', () => {
    expect(matcher.find('其中含云龙县、洱源县、剑川县3个县').map((p) => p.name)).toEqual(['云龙县', '洱源县', '剑川县']);
    expect(new PlaceMatcher(['雄安新区']).find('支持雄安新区建设').map((p) => p.name)).toEqual(['雄安新区']);
  });

  it('finds counted groups', () => {
    expect(matcher.find('扩大为46个重点帮扶县').map((p) => p.name)).toEqual(['46个重点帮扶县']);
  });
});
