import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AccountsService, API_TOKEN_PREFIX, UnauthenticatedError, type Actor } from '@duban/domain';
import { ActorCache } from './actor-cache.service';

interface AccessClaims {
  sub: string;
  typ: 'access';
}

/** Turns a bearer token (a login JWT or an API token `dbn_…`) into an Actor; 401 errors otherwise. */
@Injectable()
export class BearerAuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly accounts: AccountsService,
    private readonly cache: ActorCache,
  ) {}

  async actorFor(token: string): Promise<Actor> {
    if (token.startsWith(API_TOKEN_PREFIX)) return this.accounts.authenticateApiToken(token);
    const userId = await this.verifyJwt(token);
    return this.cache.get(userId, () => this.accounts.actorForUserId(userId));
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
