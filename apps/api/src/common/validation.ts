import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError, type FieldProblem } from '@duban/domain';

/** Chinese messages for class-validator constraints; unknown ones keep the library's text. */
const MESSAGES: Record<string, (c: string) => string> = {
  whitelistValidation: () => '不允许的字段',
  isString: () => '必须是字符串',
  isNotEmpty: () => '不能为空',
  isInt: () => '必须是整数',
  isNumber: () => '必须是数字',
  isBoolean: () => '必须是布尔值',
  isUuid: () => '必须是 UUID',
  isEmail: () => '必须是有效的电子邮件地址',
  isIn: (c) => c.replace(/^.*following values: /, '必须是以下值之一：'),
  isEnum: (c) => c.replace(/^.*following values: /, '必须是以下值之一：'),
  isArray: () => '必须是数组',
  arrayMinSize: (c) => c.replace(/^.*at least (\d+) elements?$/, '至少包含 $1 项'),
  arrayMaxSize: (c) => c.replace(/^.*no more than (\d+) elements?$/, '最多 $1 项'),
  minLength: (c) => c.replace(/^.*longer than or equal to (\d+) characters?$/, '长度至少 $1 个字符'),
  maxLength: (c) => c.replace(/^.*shorter than or equal to (\d+) characters?$/, '长度不能超过 $1 个字符'),
  min: (c) => c.replace(/^.*not be less than (-?[\d.]+)$/, '不能小于 $1'),
  max: (c) => c.replace(/^.*not be greater than (-?[\d.]+)$/, '不能大于 $1'),
  isDateString: () => '必须是 ISO 8601 日期',
  isISO8601: () => '必须是 ISO 8601 日期',
  matches: () => '格式不正确',
  isDefined: () => '必填',
};

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([key, text]) => ({
      field,
      message: MESSAGES[key] && !/[\u4e00-\u9fff]/.test(text) ? MESSAGES[key](text) : text,
    }));
    return own.concat(flatten(e.children ?? [], field));
  });
}

/** The global pipe: unknown fields are errors, bodies are transformed into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationFailedError('请求参数无效', flatten(errors)),
  });
}
