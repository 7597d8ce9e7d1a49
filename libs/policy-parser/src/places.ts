/**
 * Place names in measure text: Shanxi's cities and counties from a built-in list, names the
 * app passes in (`knownPlaces`), X县/X区/X市 items of 、-lists, and counted groups such as
 * 46个重点帮扶县. Category words (重点帮扶县, 试点县, 县域, 本县市) are not places.
 */
import { parseChineseNumeral } from './chinese-numerals';
import type { PlaceKind, PlaceMention } from './parsed-document.types';
import { AMBIGUOUS_COUNTIES, SHANXI_COUNTIES } from './shanxi-places';

interface Entry {
  name: string;
  kind: PlaceKind;
  city: string | null;
}

/** A two-character name (应县, 盂县) must not be the tail of another word (相应县级, 振兴县域). */
const LEFT_BOUNDARY = /[^\u3400-\u9fff]|[、，。；：（“《和及与在对含为是到至市省县区等的即如]/;
const LIST_HINT = /[县区市旗]、/;
const LIST_ITEM = /(?:[\u4e00-\u9fff]{1,6}(?:县|区|市|旗)、)+[\u4e00-\u9fff]{1,6}(?:县|区|市|旗)/g;
/** Category words that end like a place name. */
const NOT_A_PLACE =
  /(?:帮扶县|示范县|试点县|贫困县|脱贫县|推进县|先行县|强县|大县|非重点县|开发区|示范区|园区|新区|城区|市区|景区|社区|片区|地区|山区|林区|牧区|库区|辖区|功能区|高新区|保护区|沉陷区|安置区|农高区|集聚区|实验区|先行区|核心区|城市|都市|超市|上市|县市|县区|市县|各县|各市|各区|本县|本市|全县|全市|全区|该县|该市|城市|省市|地市|县（市)$/;
const NOT_A_PLACE_START = /^(?:本|该|各|全|我|每|所在|周边|其他|有关|相关|重点|试点|示范|脱贫|贫困)/;
const STRIP_PREFIX = /^(?:其中|含|包括|以及|在|对|和|与|及|如|即|是|为|到|至|将|向|由|从|等|有)+/;
const GROUP = /(\d+|[一二两三四五六七八九十百]+)个((?:国家乡村振兴)?重点帮扶县|脱贫县|(?:原)?国定贫困县|贫困县|县（市、区）|县（区）|县（市）)/g;

/** Finds places in text; build once per set of known places (the name index is the costly part). */
export class PlaceMatcher {
  private static shared: PlaceMatcher | null = null;

  /** The matcher for the built-in list alone, built once. */
  static forKnownPlaces(knownPlaces: readonly string[] | undefined): PlaceMatcher {
    if (knownPlaces && knownPlaces.length > 0) return new PlaceMatcher(knownPlaces);
    PlaceMatcher.shared ??= new PlaceMatcher();
    return PlaceMatcher.shared;
  }

  private readonly byName = new Map<string, Entry>();
  /** One alternation of every name, longest first, so the regex engine does the scanning. */
  private readonly names: RegExp;

  constructor(knownPlaces: readonly string[] = []) {
    const entries: Entry[] = [];
    for (const [city, counties] of Object.entries(SHANXI_COUNTIES)) {
      entries.push({ name: city, kind: 'city', city: null });
      for (const county of counties) {
        // 城区/矿区/郊区 are ordinary words: only matched as 阳泉市城区.
        const name = AMBIGUOUS_COUNTIES.has(county) ? `${city}${county}` : county;
        entries.push({ name, kind: 'county', city });
      }
    }
    for (const p of knownPlaces) {
      const name = p.trim();
      if (name.length >= 2 && !entries.some((e) => e.name === name)) entries.push({ name, kind: 'known', city: null });
    }
    entries.sort((a, b) => b.name.length - a.name.length);
    for (const e of entries) this.byName.set(e.name, e);
    this.names = new RegExp(entries.map((e) => e.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  /** Places in order of first mention, each once. */
  find(text: string): PlaceMention[] {
    const found: { at: number; p: PlaceMention }[] = [];
    // Characters already claimed by a listed name (a mask: lists can be long).
    const taken = new Uint8Array(text.length);
    const re = this.names;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const hit = this.byName.get(m[0]);
      if (!hit || !this.boundaryOk(text, m.index, hit)) {
        re.lastIndex = m.index + 1; // 相应县级: retry from the next character
        continue;
      }
      found.push({ at: m.index, p: { name: hit.name, kind: hit.kind, city: hit.city } });
      taken.fill(1, m.index, m.index + hit.name.length);
    }
    for (const m of listMatches(text)) {
      let at = m.index;
      for (const raw of m[0].split('、')) {
        const start = at;
        at += raw.length + 1;
        const item = raw.replace(STRIP_PREFIX, '');
        const itemStart = start + raw.length - item.length;
        if (!plausiblePlace(item) || taken.subarray(itemStart, itemStart + item.length).includes(1)) continue;
        found.push({ at: itemStart, p: { name: item, kind: 'pattern', city: null } });
      }
    }
    for (const m of text.matchAll(GROUP)) {
      const n = parseChineseNumeral(m[1]);
      if (n !== null && n >= 2) found.push({ at: m.index, p: { name: m[0], kind: 'group', city: null } });
    }
    found.sort((a, b) => a.at - b.at);
    const byName = new Map<string, PlaceMention>();
    for (const { p } of found) if (!byName.has(p.name)) byName.set(p.name, p);
    return [...byName.values()];
  }

  private boundaryOk(text: string, i: number, e: Entry): boolean {
    if (e.name.length > 2 || i === 0) return true;
    return LEFT_BOUNDARY.test(text[i - 1]) && !/^[域级城委]/.test(text.slice(i + e.name.length));
  }
}

/** LIST_ITEM matches, searched only in the clauses that contain an X县、 list (the regex backtracks). */
function listMatches(text: string): { index: number; 0: string }[] {
  const out: { index: number; 0: string }[] = [];
  const clause = /[^，。；：！？\n（）]+/g;
  for (let c = clause.exec(text); c !== null; c = clause.exec(text)) {
    if (!LIST_HINT.test(c[0])) continue;
    for (const m of c[0].matchAll(LIST_ITEM)) out.push({ index: c.index + m.index, 0: m[0] });
  }
  return out;
}

function plausiblePlace(item: string): boolean {
  return item.length >= 2 && item.length <= 7 && !NOT_A_PLACE.test(item) && !NOT_A_PLACE_START.test(item) && !/[的和与等之]/.test(item);
}
