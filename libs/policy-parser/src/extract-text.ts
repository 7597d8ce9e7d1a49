/**
 * File bytes -> document text, for .txt (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030/GBK),
 * .docx (mammoth) and .pdf with a text layer (pdf-parse). Every failure is a typed
 * PolicyParserError. The PDF and DOCX libraries are loaded on first use so that importing the
 * parser stays cheap for code that only parses text.
 */
import {
  BinaryContentError,
  CorruptFileError,
  DocumentTooLargeError,
  EmptyDocumentError,
  InvalidEncodingError,
  UnsupportedFileTypeError,
} from './policy-parser.errors';

/** Default upload limit: 10 MB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export interface ExtractOptions {
  /** Reject larger files before looking at them (default `DEFAULT_MAX_BYTES`). */
  maxBytes?: number;
}

type FileKind = 'txt' | 'docx' | 'pdf';

const MIME: Record<string, FileKind> = {
  'text/plain': 'txt',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};
const EXT: Record<string, FileKind> = { txt: 'txt', text: 'txt', pdf: 'pdf', docx: 'docx' };
/** Bytes inspected for binary content: enough to decide, cheap on a 20 MB upload. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Extracts the text of an uploaded document.
 * @throws DocumentTooLargeError, EmptyDocumentError, UnsupportedFileTypeError, BinaryContentError,
 *   InvalidEncodingError, CorruptFileError
 */
export async function extractText(buf: Buffer, filename: string, mimeType?: string, options: ExtractOptions = {}): Promise<string> {
  const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (buf.length > limit) throw new DocumentTooLargeError(buf.length, limit);
  if (buf.length === 0) throw new EmptyDocumentError();
  const kind = fileKind(buf, filename, mimeType);
  let text: string;
  switch (kind) {
    case 'txt':
      text = decodeText(buf);
      break;
    case 'docx':
      text = await extractDocx(buf);
      break;
    case 'pdf':
      text = await extractPdf(buf);
      break;
  }
  if (text.trim() === '') throw new EmptyDocumentError();
  return text;
}

function fileKind(buf: Buffer, filename: string, mimeType: string | undefined): FileKind {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(filename)?.[1].toLowerCase() ?? '';
  const mime = (mimeType ?? '').split(';')[0].trim().toLowerCase();
  const declared: FileKind | undefined = EXT[ext] ?? MIME[mime];
  // The bytes win over the name: a PDF saved as .txt is still a PDF.
  if (isPdf(buf) && declared !== 'docx') return 'pdf';
  if (declared) return declared;
  if (ext === '' && (mime === '' || mime === 'application/octet-stream')) {
    if (isZip(buf)) return 'docx';
    return 'txt';
  }
  throw new UnsupportedFileTypeError(ext !== '' ? `.${ext}` : mime);
}

function isPdf(buf: Buffer): boolean {
  return buf.subarray(0, 1024).includes('%PDF-');
}

function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
}

// ---------------------------------------------------------------------------------------------
// Plain text

function decodeText(buf: Buffer): string {
  const utf16 = buf[0] === 0xff && buf[1] === 0xfe ? 'utf-16le' : buf[0] === 0xfe && buf[1] === 0xff ? 'utf-16be' : null;
  if (utf16 !== null) {
    const decoded = decode(utf16, buf.subarray(2));
    if (decoded === null) throw new InvalidEncodingError();
    return checkDecoded(decoded);
  }
  if (looksBinary(buf)) throw new BinaryContentError();
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  const utf8 = decode('utf-8', body);
  if (utf8 !== null) return checkDecoded(utf8);
  // Older Chinese files are GBK/GB18030; accept them only when they clearly read as Chinese.
  const gb = decode('gb18030', body);
  if (gb !== null && mostlyChinese(gb)) return checkDecoded(gb);
  throw new InvalidEncodingError();
}

function decode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (e) {
    // By code, not instanceof: Node's errors come from another realm under jest's sandbox.
    const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
    if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA' || code === 'ERR_ENCODING_NOT_SUPPORTED') return null;
    throw e;
  }
}

/** NUL bytes or more than 1% control bytes in the first 64 KB mean binary data. */
function looksBinary(buf: Buffer): boolean {
  const sample = buf.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > sample.length * 0.01;
}

function checkDecoded(text: string): string {
  const sample = text.slice(0, SNIFF_BYTES);
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const control = sample.match(/[\u0000-\u0008\u000b\u000e-\u001f\ufffd]/g)?.length ?? 0;
  if (control > sample.length * 0.01) throw new BinaryContentError();
  return text;
}

function mostlyChinese(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- a range that starts at NUL, not a control character
  const nonAscii = text.match(/[^\u0000-\u007f]/g)?.length ?? 0;
  const cjk = text.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g)?.length ?? 0;
  return cjk > 0 && cjk >= nonAscii * 0.8;
}

// ---------------------------------------------------------------------------------------------
// DOCX

async function extractDocx(buf: Buffer): Promise<string> {
  if (!isZip(buf)) throw new CorruptFileError('不是有效的 .docx 文件（文件不是 zip 格式）');
  const mammoth = await import('mammoth');
  let html: string;
  try {
    // HTML rather than raw text: it keeps table rows, which become tab-separated lines.
    html = (await mammoth.convertToHtml({ buffer: buf })).value;
  } catch (e) {
    throw new CorruptFileError('无法读取 .docx 文件内容（文件已损坏或不是 Word 文档）', e);
  }
  return htmlToText(html);
}

/** The small HTML subset mammoth writes (p, h1-6, li, br, table) to text; table cells joined by tabs. */
export function htmlToText(html: string): string {
  const tables = html.replace(/<table[^>]*>([\s\S]*?)<\/table>/g, (_m: string, inner: string) => {
    const rows = [...inner.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...r[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => inline(c[1].replace(/<\/p>\s*<p[^>]*>/g, ' '))).join('\t'),
    );
    return `\n${rows.join('\n')}\n`;
  });
  const blocks = tables.replace(/<br\s*\/?>/g, '\n').replace(/<\/(?:p|h[1-6]|li)>/g, '\n');
  return decodeEntities(blocks.replace(/<[^>]+>/g, '')).replace(/\n{3,}/g, '\n\n').trim();
}

function inline(s: string): string {
  return decodeEntities(s.replace(/<[^>]+>/g, '')).replace(/[\t\n]+/g, ' ').trim();
}

function decodeEntities(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m: string, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return named[e.toLowerCase()] ?? m;
  });
}

// ---------------------------------------------------------------------------------------------
// PDF

async function extractPdf(buf: Buffer): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({ data: new Uint8Array(buf) });
  let pages: string[];
  try {
    pages = (await parser.getText()).pages.map((p) => p.text);
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    if (name === 'PasswordException') throw new CorruptFileError('PDF 文件已加密，无法读取', e);
    throw new CorruptFileError('PDF 文件已损坏或格式不正确，无法读取', e);
  } finally {
    await parser.destroy();
  }
  const text = pages.join('\n\n');
  if (text.replace(/\s/g, '') === '') {
    throw new EmptyDocumentError('PDF 没有文字层（可能是扫描件），请上传可复制文字的 PDF 或 Word 文件');
  }
  return text;
}
