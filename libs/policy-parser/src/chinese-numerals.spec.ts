import fc from 'fast-check';
import { parseChineseNumeral, toChineseNumeral } from './chinese-numerals';

describe('parseChineseNumeral', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十七', 17],
    ['二十', 20],
    ['三十一', 31],
    ['九十九', 99],
    ['一百', 100],
    ['一百零一', 101],
    ['一百一十', 110],
    ['一百一', 110],
    ['两', 2],
    ['两百', 200],
    ['两千', 2000],
    ['〇', 0],
    ['零', 0],
    ['二〇二二', 2022],
    ['二〇二六', 2026],
    ['一千零五十', 1050],
    ['三万五千', 35000],
    ['一万零五', 10005],
    ['贰拾叁', 23],
    ['17', 17],
  ])('%s -> %d', (s, n) => {
    expect(parseChineseNumeral(s)).toBe(n);
  });

  it.each(['', '十十', '百', '一二三十', '两十', '零一', '一百零零一', 'abc', '十一万万', '一万五十'])('rejects %s', (s) => {
    expect(parseChineseNumeral(s)).toBeNull();
  });

  it('round-trips every number from 1 to 999 through toChineseNumeral', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), (n) => {
        expect(parseChineseNumeral(toChineseNumeral(n))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips larger numbers too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99999999 }), (n) => {
        expect(parseChineseNumeral(toChineseNumeral(n))).toBe(n);
      }),
    );
  });

  it('formats as documents print item numbers', () => {
    expect(toChineseNumeral(17)).toBe('十七');
    expect(toChineseNumeral(101)).toBe('一百零一');
    expect(toChineseNumeral(110)).toBe('一百一十');
    expect(toChineseNumeral(1010)).toBe('一千零一十');
    expect(() => toChineseNumeral(-1)).toThrow(RangeError);
    expect(() => toChineseNumeral(1.5)).toThrow(RangeError);
  });
});
