/**
 * Errors raised by the policy parser. Each has a stable `code` (a persisted/API contract: the
 * API maps codes to HTTP statuses) and a Chinese message that can be shown to the uploader.
 * No HTTP types here on purpose (STYLE.md).
 */
export type PolicyParserErrorCode =
  | 'DOCUMENT_EMPTY'
  | 'DOCUMENT_UNSUPPORTED_TYPE'
  | 'DOCUMENT_BINARY'
  | 'DOCUMENT_BAD_ENCODING'
  | 'DOCUMENT_CORRUPT'
  | 'DOCUMENT_NO_MEASURES'
  | 'DOCUMENT_TOO_LARGE';

/** Base class of every error the parser throws on purpose. */
export class PolicyParserError extends Error {
  constructor(
    readonly code: PolicyParserErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The file, or its extracted text, holds no readable content (includes PDFs without a text layer). */
export class EmptyDocumentError extends PolicyParserError {
  constructor(message = '文件内容为空，未读取到文字') {
    super('DOCUMENT_EMPTY', message);
  }
}

/** The file type is not one of .txt, .docx, .pdf. */
export class UnsupportedFileTypeError extends PolicyParserError {
  constructor(readonly fileType: string) {
    super('DOCUMENT_UNSUPPORTED_TYPE', `不支持的文件类型：${fileType || '未知'}（支持 .txt、.docx、.pdf）`);
  }
}

/** A text file whose bytes look like binary data (NUL or control characters). */
export class BinaryContentError extends PolicyParserError {
  constructor() {
    super('DOCUMENT_BINARY', '文件内容不是文本（含有二进制数据）');
  }
}

/** A text file that is neither valid UTF-8 nor clean GB18030/GBK Chinese text. */
export class InvalidEncodingError extends PolicyParserError {
  constructor() {
    super('DOCUMENT_BAD_ENCODING', '文件编码无法识别，请另存为 UTF-8 编码的文本');
  }
}

/** A .docx or .pdf that cannot be opened (not a zip, broken structure, encrypted). */
export class CorruptFileError extends PolicyParserError {
  constructor(message = '文件已损坏或格式不正确，无法读取', cause?: unknown) {
    super('DOCUMENT_CORRUPT', message, { cause });
  }
}

/** The text was read but no numbered measure could be found in it. */
export class NoMeasuresError extends PolicyParserError {
  constructor() {
    super('DOCUMENT_NO_MEASURES', '未能从文件中识别出任何举措（编号条目）');
  }
}

/** The upload exceeds the size limit given by the caller. */
export class DocumentTooLargeError extends PolicyParserError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super('DOCUMENT_TOO_LARGE', `文件过大：${formatBytes(size)}，上限为 ${formatBytes(limit)}`);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
