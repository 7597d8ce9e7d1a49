/** A paragraph of the cleaned text with its offsets: text === cleaned.slice(start, end). */
export interface Line {
  index: number;
  text: string;
  start: number;
  end: number;
}

export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const [index, line] of text.split('\n').entries()) {
    out.push({ index, text: line, start, end: start + line.length });
    start += line.length + 1;
  }
  return out;
}

/** Cells of a table row separated by tabs or |; null when the line is not a table row. */
export function tableCells(line: string): string[] | null {
  let cells: string[] | null = null;
  if (line.includes('\t')) cells = line.split('\t');
  else if ((line.match(/\|/g) ?? []).length >= 2) cells = line.replace(/^\||\|$/g, '').split('|');
  return cells && cells.length >= 2 ? cells.map((c) => c.trim()) : null;
}

/** Unit-name endings, for telling an organisation from prose. */
export const UNIT_NAME = /(?:厅|局|委|委员会|办|办公室|部|院|会|行|司|公司|集团|政府|中心|联|署|所|站|馆|队|社|处|团|校|庭|室|部门|单位|机关|小组)$/;

/** Dates written either way: 2021年8月11日 or 二〇二一年八月十一日. */
export const DATE_TEXT = /((?:\d{4})|(?:[〇零一二三四五六七八九]{4}))年(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})日/;
