/**
 * Domain errors carry a stable machine code and a Chinese message, and no HTTP types: the API's
 * global filter maps each `kind` to a status (not-found -> 404, conflict -> 409, ...).
 */
export type DomainErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'illegal_state'
  | 'payload_too_large'
  | 'unsupported_media';

export interface FieldProblem {
  field: string;
  message: string;
  /** For spreadsheet-like input: the rejected cell's row (null for a header field) and column. */
  row?: number | null;
  column?: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  readonly kind = 'validation';
  constructor(message: string, fields?: FieldProblem[], code = 'VALIDATION_FAILED') {
    super(code, message, fields);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(code: string, message: string, fields?: FieldProblem[]) {
    super(code, message, fields);
  }
}

export class IllegalStateError extends DomainError {
  readonly kind = 'illegal_state';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly kind = 'payload_too_large';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class UnsupportedMediaError extends DomainError {
  readonly kind = 'unsupported_media';
  constructor(code: string, message: string) {
    super(code, message);
  }
}
