import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, Min } from 'class-validator';

const NULL_INHERITS = 'null：恢复继承上一级（文件继承系统默认，任务继承文件）';

/**
 * A change to a document's or a task's override of the deadline rules. Absent keys stay as they
 * are, null goes back to inheriting. Order and ranges are checked by the domain (Chinese 400).
 */
export class DeadlineSettingsPatchDto {
  @ApiProperty({ description: '您看到的文件或任务版本号（乐观锁）', example: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ type: [Number], nullable: true, example: [5, 2], description: `提前提醒：到期前几个工作日提醒，从大到小。${NULL_INHERITS}` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  reminderDaysBefore?: number[] | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, description: `到期当天是否提醒。${NULL_INHERITS}` })
  @IsOptional()
  @IsBoolean()
  remindOnDay?: boolean | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 1, description: `逾期后每几个工作日提醒一次，0 表示不再提醒。${NULL_INHERITS}` })
  @IsOptional()
  @IsInt()
  overdueRepeatEveryDays?: number | null;

  @ApiPropertyOptional({ type: [Number], nullable: true, example: [1, 3, 10], description: `督办一级、二级、三级的逾期工作日数，从小到大。${NULL_INHERITS}` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsInt({ each: true })
  escalationThresholds?: number[] | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 3, description: `报送等待审签/审核超过几个工作日催审。${NULL_INHERITS}` })
  @IsOptional()
  @IsInt()
  reviewLimitDays?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 3, description: `催审后再过几个工作日升级给省局主要负责人。${NULL_INHERITS}` })
  @IsOptional()
  @IsInt()
  reviewEscalationDays?: number | null;
}

/** A complete set of deadline rules. */
export class DeadlineRulesDto {
  @ApiProperty({ type: [Number], example: [5, 2] }) reminderDaysBefore: number[];
  @ApiProperty() remindOnDay: boolean;
  @ApiProperty({ example: 1 }) overdueRepeatEveryDays: number;
  @ApiProperty({ type: [Number], example: [1, 3, 10] }) escalationThresholds: number[];
  @ApiProperty({ example: 3 }) reviewLimitDays: number;
  @ApiProperty({ example: 3 }) reviewEscalationDays: number;
}

/** An override: only the keys it sets. */
export class DeadlineOverrideDto {
  @ApiPropertyOptional({ type: [Number] }) reminderDaysBefore?: number[];
  @ApiPropertyOptional() remindOnDay?: boolean;
  @ApiPropertyOptional() overdueRepeatEveryDays?: number;
  @ApiPropertyOptional({ type: [Number] }) escalationThresholds?: number[];
  @ApiPropertyOptional() reviewLimitDays?: number;
  @ApiPropertyOptional() reviewEscalationDays?: number;
}

/** Every level of the rules and the result the engine uses. */
export class DeadlineSettingsDto {
  @ApiProperty({ type: DeadlineRulesDto, description: '系统默认（环境变量）' }) defaults: DeadlineRulesDto;
  @ApiProperty({ type: DeadlineOverrideDto, description: '文件的设置（覆盖默认）' }) document: DeadlineOverrideDto;
  @ApiPropertyOptional({ type: DeadlineOverrideDto, description: '任务的设置（覆盖文件）' }) task?: DeadlineOverrideDto;
  @ApiProperty({ type: DeadlineRulesDto, description: '实际生效的规则' }) effective: DeadlineRulesDto;
  @ApiProperty({ description: '文件或任务的版本号（修改时提交）' }) version: number;
}
