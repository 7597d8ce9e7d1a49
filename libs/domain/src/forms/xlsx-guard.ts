import { inflateRawSync } from 'node:zlib';

export interface XlsxLimits {
  maxBytes: number;
  maxInflatedBytes: number;
  maxRatio: number;
}

/** Why an upload is not read at all. */
export type XlsxRejection = { code: 'FORM_FILE_TOO_LARGE' | 'FORM_NOT_XLSX' | 'FORM_XLSX_BOMB'; message: string };

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const MAX_ENTRIES = 1000;

/**
 * Checks an upload before any XML parser sees it: the size, that it is a zip holding an .xlsx
 * workbook, and that no part inflates beyond the limits. Declared sizes are checked first (cheap),
 * then every part is actually inflated with `maxOutputLength`, because a zip can lie about them.
 * Returns null when the file may be parsed.
 */
export function inspectXlsx(buf: Buffer, limits: XlsxLimits): XlsxRejection | null {
  if (buf.length > limits.maxBytes) return { code: 'FORM_FILE_TOO_LARGE', message: `文件超过上限 ${limits.maxBytes} 字节` };
  const notXlsx: XlsxRejection = { code: 'FORM_NOT_XLSX', message: '不是 .xlsx 文件（请用 Excel 另存为 .xlsx 后上传）' };
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL) return notXlsx;
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) return notXlsx;
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  if (count > MAX_ENTRIES) return { code: 'FORM_XLSX_BOMB', message: `压缩包内文件过多（${count} 个）` };
  const names = new Set<string>();
  let declared = 0;
  let inflated = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) return notXlsx;
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    names.add(name);
    declared += size;
    const bomb = (what: string): XlsxRejection => ({ code: 'FORM_XLSX_BOMB', message: `文件「${name}」${what}，疑似压缩炸弹，已拒收（解压上限 ${limits.maxInflatedBytes} 字节，压缩比上限 ${limits.maxRatio}）` });
    // 0xFFFFFFFF means ZIP64: an .xlsx form never needs 4 GB parts.
    if (size === 0xffffffff || compressed === 0xffffffff) return bomb('使用 ZIP64 大小');
    if (declared > limits.maxInflatedBytes) return bomb(`解压后达 ${declared} 字节`);
    if (compressed > 0 && size / compressed > limits.maxRatio) return bomb(`压缩比 ${Math.round(size / compressed)}:1`);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) return notXlsx;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + compressed);
    let actual: number;
    if (method === 0) actual = data.length;
    else if (method === 8) {
      try {
        actual = inflateRawSync(data, { maxOutputLength: Math.max(1, limits.maxInflatedBytes - inflated) }).length;
      } catch (e) {
        // By code, not `instanceof RangeError`: zlib's errors come from Node's own realm.
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return bomb('解压后超过上限');
        return notXlsx;
      }
    } else return notXlsx;
    if (actual !== size) return bomb(`实际解压大小（${actual}）与声明（${size}）不符`);
    inflated += actual;
  }
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) return notXlsx;
  return null;
}
