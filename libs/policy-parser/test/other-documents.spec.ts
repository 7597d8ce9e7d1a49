/**
 * Accuracy on public documents the parser was not written against (see fixtures/other/*.txt, each
 * headed by its source). Expected answers were written by reading each document. The printed table
 * is the real result; the assertion is only a floor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../src/parse-document';

interface Expected {
  notes: string;
  measures: { label: string; leads: string[]; leadMode: string | null; cooperating: string[] }[];
}

const DIR = join(__dirname, 'fixtures', 'other');
const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

function score(file: string): { file: string; expected: number; found: number; measureAcc: number; leadAcc: number } {
  const text = readFileSync(join(DIR, file), 'utf8').replace(/^#.*\n/, ''); // drop the source line
  const expected = JSON.parse(readFileSync(join(DIR, file.replace(/\.txt$/, '.expected.json')), 'utf8')) as Expected;
  const doc = parseDocument(text);
  let matched = 0;
  let leadsRight = 0;
  for (const e of expected.measures) {
    const m = doc.measures.find((x) => x.label === e.label);
    if (!m) continue;
    matched++;
    if (sameSet(m.leads, e.leads) && m.leadMode === e.leadMode && sameSet(m.cooperating, e.cooperating)) leadsRight++;
  }
  return {
    file,
    expected: expected.measures.length,
    found: doc.measures.length,
    // Extra measures count against the score as much as missing ones.
    measureAcc: matched / Math.max(expected.measures.length, doc.measures.length),
    leadAcc: leadsRight / expected.measures.length,
  };
}

describe('documents the parser was not tuned on', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();

  it('has 3-6 fixtures, each with expected answers and a source line', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files.length).toBeLessThanOrEqual(6);
    for (const f of files) expect(readFileSync(join(DIR, f), 'utf8')).toMatch(/^# source: \S+/);
  });

  it('finds the measures and their leads', () => {
    const rows = files.map(score);
    const total = rows.reduce((a, r) => ({ expected: a.expected + r.expected, m: a.m + r.measureAcc * r.expected, l: a.l + r.leadAcc * r.expected }), { expected: 0, m: 0, l: 0 });
    console.log(
      [
        'document                          expected found measures leads',
        ...rows.map((r) => `${r.file.padEnd(34)}${String(r.expected).padStart(8)}${String(r.found).padStart(6)}${r.measureAcc.toFixed(2).padStart(9)}${r.leadAcc.toFixed(2).padStart(6)}`),
        `${'all (weighted by measures)'.padEnd(34)}${String(total.expected).padStart(8)}${''.padStart(6)}${(total.m / total.expected).toFixed(2).padStart(9)}${(total.l / total.expected).toFixed(2).padStart(6)}`,
      ].join('\n'),
    );
    expect(total.m / total.expected).toBeGreaterThanOrEqual(0.9);
    expect(total.l / total.expected).toBeGreaterThanOrEqual(0.9);
  });
});
