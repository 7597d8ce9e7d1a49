import JSZip from 'jszip';
import { randomBytes } from 'node:crypto';
import { docx } from '../test/make-docx';
import { makePdf } from '../test/make-pdf';
import { extractText, htmlToText } from './extract-text';
import { parseDocument } from './parse-document';
import {
  BinaryContentError,
  CorruptFileError,
  DocumentTooLargeError,
  EmptyDocumentError,
  InvalidEncodingError,
  PolicyParserError,
  UnsupportedFileTypeError,
} from './policy-parser.errors';

const SAMPLE = '（一）加强组织领导。（省财政厅牵头负责）';

const p = (text: string): string => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const tc = (text: string): string => `<w:tc>${p(text)}</w:tc>`;

describe('extractText: plain text', () => {
  it('reads UTF-8, UTF-8 with BOM and UTF-16 with BOM', async () => {
    expect(await extractText(Buffer.from(SAMPLE), 'a.txt')).toBe(SAMPLE);
    expect(await extractText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]), 'a.txt')).toBe(SAMPLE);
    expect(await extractText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]), 'a.TXT', 'text/plain')).toBe(SAMPLE);
  });

  it('reads GBK/GB18030 Chinese text', async () => {
    // （一）加强组织领导。 / 省财政厅牵头负责 in GBK
    const gbk = Buffer.from('a3a8d2bba3a9bcd3c7bfd7e9d6afc1ecb5bca1a3' + '0a' + 'caa1b2c6d5feccfcc7a3cdb7b8bad4f0', 'hex');
    expect(await extractText(gbk, 'gbk.txt')).toBe('（一）加强组织领导。\n省财政厅牵头负责');
  });

  it('rejects broken UTF-8 that is not Chinese in any encoding', async () => {
    const broken = Buffer.concat([Buffer.from('Policy text '), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]), Buffer.from(' more')]);
    await expect(extractText(broken, 'a.txt')).rejects.toThrow(InvalidEncodingError);
    await expect(extractText(broken, 'a.txt')).rejects.toMatchObject({ code: 'DOCUMENT_BAD_ENCODING' });
  });

  it('rejects empty and blank files', async () => {
    await expect(extractText(Buffer.alloc(0), 'a.txt')).rejects.toThrow(EmptyDocumentError);
    await expect(extractText(Buffer.from(' \n\t\n'), 'a.txt')).rejects.toMatchObject({ code: 'DOCUMENT_EMPTY' });
  });

  it('rejects binary content (random bytes under the size limit)', async () => {
    await expect(extractText(randomBytes(1024 * 1024), 'noise.txt')).rejects.toThrow(BinaryContentError);
    await expect(extractText(Buffer.from('text\u0000with NUL'), 'a.txt')).rejects.toMatchObject({ code: 'DOCUMENT_BINARY' });
  });

  it('rejects 20 MB on size before looking at the bytes', async () => {
    // Random noise and valid text alike: the size check comes first (no timing asserted: see bench/).
    await expect(extractText(randomBytes(20 * 1024 * 1024), 'noise.bin')).rejects.toThrow(DocumentTooLargeError);
    const big = Buffer.alloc(20 * 1024 * 1024, 'a');
    const err: unknown = await extractText(big, 'big.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentTooLargeError);
    expect(err).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', size: 20 * 1024 * 1024, limit: 10 * 1024 * 1024 });
    await expect(extractText(Buffer.from(SAMPLE), 'a.txt', undefined, { maxBytes: 10 })).rejects.toThrow(DocumentTooLargeError);
  });

  it('rejects unsupported types with a typed error', async () => {
    await expect(extractText(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 'old.doc')).rejects.toThrow(UnsupportedFileTypeError);
    await expect(extractText(Buffer.from('x'), 'image.png', 'image/png')).rejects.toMatchObject({ code: 'DOCUMENT_UNSUPPORTED_TYPE' });
  });

  it('every error is a PolicyParserError with a Chinese message', async () => {
    const err: unknown = await extractText(Buffer.alloc(0), 'a.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyParserError);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/[\u4e00-\u9fff]/);
    expect((err as Error).name).toBe('EmptyDocumentError');
  });
});

describe('extractText: docx', () => {
  it('reads paragraphs and keeps table rows as tab-separated lines', async () => {
    const table = `<w:tbl><w:tr>${tc('序号')}${tc('任务')}${tc('牵头单位')}</w:tr><w:tr>${tc('1')}${tc('修订办法')}${tc('省司法厅')}</w:tr></w:tbl>`;
    const buf = await docx(p('关于印发实施方案的通知') + p(SAMPLE) + table);
    const text = await extractText(buf, '方案.docx');
    expect(text).toContain('关于印发实施方案的通知');
    expect(text).toContain(SAMPLE);
    expect(text).toContain('序号\t任务\t牵头单位\n1\t修订办法\t省司法厅');
    expect(parseDocument(text).measures.map((m) => m.leads)).toEqual([['省财政厅']]);
  });

  it('gives a typed error for a .docx that is not a zip, or a zip without a document', async () => {
    await expect(extractText(Buffer.from('plain text pretending'), 'fake.docx')).rejects.toThrow(CorruptFileError);
    const zip = new JSZip();
    zip.file('hello.txt', 'hi');
    const notWord = await zip.generateAsync({ type: 'nodebuffer' });
    await expect(extractText(notWord, 'x.docx')).rejects.toMatchObject({ code: 'DOCUMENT_CORRUPT' });
  });

  it('rejects a docx without text', async () => {
    await expect(extractText(await docx(p('')), 'empty.docx')).rejects.toThrow(EmptyDocumentError);
  });
});

describe('extractText: pdf', () => {
  it('reads a PDF text layer, Chinese included', async () => {
    const buf = makePdf([['关于加强管理的通知', '（一）加强组织领导。（省财政厅牵头负责）'], ['（二）强化督查。（省审计厅牵头负责）']]);
    const text = await extractText(buf, 'notice.pdf', 'application/pdf');
    expect(text).toContain('（一）加强组织领导。（省财政厅牵头负责）');
    expect(parseDocument(text).measures.map((m) => m.leads)).toEqual([['省财政厅'], ['省审计厅']]);
  });

  it('recognises a PDF by its bytes whatever its name', async () => {
    expect(await extractText(makePdf([['Hello PDF']]), 'upload.bin')).toContain('Hello PDF');
  });

  it('rejects a PDF without a text layer and a broken PDF', async () => {
    await expect(extractText(makePdf([[]]), 'scan.pdf')).rejects.toThrow(EmptyDocumentError);
    await expect(extractText(Buffer.from('%PDF-1.4\n garbage'), 'broken.pdf')).rejects.toThrow(CorruptFileError);
  });
});

describe('htmlToText', () => {
  it('decodes entities and keeps paragraphs', () => {
    expect(htmlToText('<p>A &amp; B&#65281;</p><p>&lt;C&gt;</p>')).toBe('A & B！\n<C>');
  });
});
