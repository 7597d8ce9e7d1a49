import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ActorCache } from './actor-cache.service';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { AccountsService, ROLES, type Actor, type Role, type UserEntity } from '@duban/domain';
import { CurrentActor, Roles } from './auth.decorators';
import { PageQueryDto } from '../common/page.dto';
import { UuidParam } from '../common/uuid-param.pipe';

class CreateUserDto {
  @ApiProperty({ example: 'czt.li' })
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, { message: '3-64 位小写字母、数字、点、下划线或连字符' })
  username: string;

  @ApiProperty({ example: '李某某（省财政厅）' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  displayName: string;

  @ApiProperty({ description: '至少 10 位' })
  @IsString()
  @MinLength(10, { message: '密码至少 10 位' })
  @MaxLength(256)
  password: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  unitId: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;
}

class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ description: 'false 停用账号（其令牌随即失效）' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

/** Accounts administration: admins create users, change roles and disable accounts. */
@ApiTags('认证 auth')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly actors: ActorCache,
  ) {}

  @Get()
  @Roles('admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: '用户列表' })
  @ApiOkResponse({ type: UserPageDto })
  async list(@Query() q: PageQueryDto): Promise<UserPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { items, total } = await this.accounts.listUsers(limit, offset);
    return { items: items.map(toUserDto), total, limit, offset };
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '创建用户（管理员）' })
  @ApiCreatedResponse({ type: UserDto })
  async create(@CurrentActor() actor: Actor, @Body() b: CreateUserDto): Promise<UserDto> {
    return toUserDto(await this.accounts.createUser({ ...b }, actor));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: '修改角色或停用用户（管理员）' })
  @ApiOkResponse({ type: UserDto })
  async update(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() b: UpdateUserDto): Promise<UserDto> {
    const user = await this.accounts.updateUser(actor, id, b);
    // This process forgets the old actor at once; the others hear of it from PostgreSQL (decision 54).
    this.actors.invalidate(id);
    return toUserDto(user);
  }
}

function toUserDto(u: UserEntity): UserDto {
  return { id: u.id, username: u.username, displayName: u.displayName, unitId: u.unitId, roles: u.roles, active: u.active, email: u.email };
}
