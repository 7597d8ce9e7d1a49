import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'username' })
  field: string;

  @ApiProperty({ example: '不能为空' })
  message: string;

  @ApiPropertyOptional({ nullable: true, type: Number, description: '表格类输入：被拒单元格所在行（表头字段为 null）' })
  row?: number | null;

  @ApiPropertyOptional({ description: '表格类输入：被拒单元格所在列' })
  column?: string;
}

/** The one shape of every error the API returns. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: '稳定的机器可读错误码' })
  code: string;

  @ApiProperty({ example: '请求参数无效' })
  message: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];

  @ApiProperty({ example: '5f0c6f7e-3a4b-4c1d-9e2f-0a1b2c3d4e5f' })
  requestId: string;
}
