import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, ROLE_LABELS, UnauthenticatedError, type Role } from '@duban/domain';
import { IS_PUBLIC, REQUIRED_ROLES, type AuthedRequest } from './auth.decorators';
import { BearerAuthService } from './bearer-auth.service';

/**
 * Global guard: every route needs a bearer token (a signed JWT from login, or an API token) unless
 * marked @Public; @Roles narrows it further. 401 for a missing/bad/expired token, 403 for a role.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerAuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthenticatedError('AUTH_REQUIRED', '请先登录：缺少 Authorization: Bearer 令牌');
    request.actor = await this.bearer.actorFor(match[1]);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.some((r) => request.actor?.roles.includes(r))) {
      throw new ForbiddenError('FORBIDDEN_ROLE', `需要以下角色之一：${roles.map((r) => ROLE_LABELS[r]).join('、')}`);
    }
    return true;
  }
}
