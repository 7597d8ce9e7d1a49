/**
 * @duban/policy-parser: pure functions from a policy document's text to structured measures.
 * No Nest, no database, no clock.
 */
export { cleanText } from './clean-text';
export { parseChineseNumeral, toChineseNumeral } from './chinese-numerals';
export { parseDocument, parseDocumentStrict, parseDocumentWithText } from './parse-document';
export { extractText, DEFAULT_MAX_BYTES, type ExtractOptions } from './extract-text';
export {
  PolicyParserError,
  EmptyDocumentError,
  UnsupportedFileTypeError,
  BinaryContentError,
  InvalidEncodingError,
  CorruptFileError,
  NoMeasuresError,
  DocumentTooLargeError,
  type PolicyParserErrorCode,
} from './policy-parser.errors';
export type * from './parsed-document.types';
