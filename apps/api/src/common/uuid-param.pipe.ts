import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailedError } from '@duban/domain';

/** `@Param('id', UuidParam)`: a malformed id is a 400 with the field named. */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError('编号格式无效', [{ field: 'id', message: '必须是 UUID' }]),
});
