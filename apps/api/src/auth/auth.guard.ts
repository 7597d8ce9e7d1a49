import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AccountsService, API_TOKEN_PREFIX, ForbiddenError, ROLE_LABELS, UnauthenticatedError, type Role } from '@duban/domain';
import { IS_PUBLIC, REQUIRED_ROLES, type AuthedRequest } from './auth.decorators';

interface AccessClaims {
  sub: string;
  typ: 'access';
}

/**
 * Global guard: every route needs a bearer token (a signed JWT from login, or an API token) unless
 * marked @Public; @Roles narrows it further. 401 for a missing/bad/expired token, 403 for a role.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly accounts: AccountsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthenticatedError('AUTH_REQUIRED', '请先登录：缺少 Authorization: Bearer 令牌');
    const token = match[1];
    request.actor = token.startsWith(API_TOKEN_PREFIX)
      ? await this.accounts.authenticateApiToken(token)
      : await this.accounts.actorForUserId(await this.verifyJwt(token));
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.some((r) => request.actor?.roles.includes(r))) {
      throw new ForbiddenError('FORBIDDEN_ROLE', `需要以下角色之一：${roles.map((r) => ROLE_LABELS[r]).join('、')}`);
    }
    return true;
  }

  private async verifyJwt(token: string): Promise<string> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token);
      if (claims.typ !== 'access' || typeof claims.sub !== 'string') throw new Error('not an access token');
      return claims.sub;
    } catch (e) {
      if (e instanceof TokenExpiredError) throw new UnauthenticatedError('AUTH_TOKEN_EXPIRED', '登录已过期，请重新登录');
      throw new UnauthenticatedError('AUTH_TOKEN_INVALID', '访问令牌无效');
    }
  }
}
