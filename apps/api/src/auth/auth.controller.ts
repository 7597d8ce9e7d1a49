import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '../common/uuid-param.pipe';
import { JwtService } from '@nestjs/jwt';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { CalendarService, missingCalendarNotice } from '@duban/calendar';
import { AccountsService, hasRole, NotFoundError, type Actor, type ApiTokenEntity, type UnitEntity, type UserEntity } from '@duban/domain';
import { ErrorResponseDto } from '../common/error-response.dto';
import { CurrentActor, Public } from './auth.decorators';
import { boardCookie } from '../queue-board/queue-board';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto, LoginDto, LoginResponseDto, MeDto } from './auth.dto';

@ApiTags('认证 auth')
@Controller()
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendar: CalendarService,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: '用户名密码登录，返回访问令牌' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponseDto> {
    const user = await this.accounts.authenticate(body.username, body.password);
    const accessToken = await this.jwt.signAsync({ sub: user.id, typ: 'access' }, { expiresIn: this.config.auth.jwtTtlSeconds });
    const actor = await this.accounts.actorForUserId(user.id);
    // The queue dashboard is a browser page: it gets the token as an HttpOnly cookie (decision 23).
    if (hasRole(actor, 'coordinator', 'admin')) void reply.header('set-cookie', boardCookie(accessToken, this.config));
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.auth.jwtTtlSeconds, user: toMe(user, user.unit, actor, await this.notices(actor)) };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录用户' })
  @ApiOkResponse({ type: MeDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  async me(@CurrentActor() actor: Actor): Promise<MeDto> {
    const user = await this.accounts.findUser(actor.userId);
    if (!user) throw new NotFoundError('USER_NOT_FOUND', '用户不存在');
    return toMe(user, user.unit, actor, await this.notices(actor));
  }

  /** Coordinators and admins are told loudly when next year's official calendar is missing. */
  private async notices(actor: Actor): Promise<string[]> {
    if (!hasRole(actor, 'coordinator', 'admin')) return [];
    const notice = missingCalendarNotice((await this.calendar.status()).missing);
    return notice ? [notice] : [];
  }

  @Post('auth/tokens')
  @ApiBearerAuth()
  @ApiOperation({ summary: '为自动化脚本创建 API 令牌（完整令牌只返回一次）' })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  async createToken(@CurrentActor() actor: Actor, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    const { token, entity } = await this.accounts.createApiToken(actor, body.name, body.expiresInDays ?? null);
    return { ...toTokenDto(entity), token };
  }

  @Get('auth/tokens')
  @ApiBearerAuth()
  @ApiOperation({ summary: '我的 API 令牌' })
  @ApiOkResponse({ type: [ApiTokenDto] })
  async listTokens(@CurrentActor() actor: Actor): Promise<ApiTokenDto[]> {
    return (await this.accounts.listApiTokens(actor)).map(toTokenDto);
  }

  @Delete('auth/tokens/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '吊销 API 令牌' })
  @ApiNoContentResponse()
  async revokeToken(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    await this.accounts.revokeApiToken(actor, id);
  }
}

function toMe(user: UserEntity, unit: UnitEntity | undefined, actor: Actor, notices: string[]): MeDto {
  if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', '用户所属单位不存在');
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    unit: { id: unit.id, code: unit.code, name: unit.name, shortName: unit.shortName, kind: unit.kind },
    cityId: actor.cityId,
    notices,
  };
}

function toTokenDto(t: ApiTokenEntity): ApiTokenDto {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}
