import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AccountsService, API_TOKEN_PREFIX, UnauthenticatedError, type Actor } from '@duban/domain';
import { ActorCache } from './actor-cache.service';

interface AccessClaims {
  sub: string;
  typ: 'access';
  exp?: number;
}

/** How many verified login tokens are remembered (about 0.5 KB each). */
const VERIFIED_TOKENS = 10_000;

/** Turns a bearer token (a login JWT or an API token `dbn_…`) into an Actor; 401 errors otherwise. */
@Injectable()
export class BearerAuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly accounts: AccountsService,
    private readonly cache: ActorCache,
  ) {}

  /**
   * Login tokens whose signature was verified, with their subject and expiry (decision 58): a
   * token's signature, algorithm and claims cannot change, only the time, so a token seen again is
   * checked against its expiry alone (the same test jsonwebtoken makes) instead of a new HMAC.
   */
  private readonly verified = new Map<string, { sub: string; expiresAtMs: number }>();

  async actorFor(token: string): Promise<Actor> {
    if (token.startsWith(API_TOKEN_PREFIX)) return this.accounts.authenticateApiToken(token);
    const userId = await this.verifyJwt(token);
    return this.cache.get(userId, () => this.accounts.actorForUserId(userId));
  }

  private async verifyJwt(token: string): Promise<string> {
    const seen = this.verified.get(token);
    if (seen) {
      if (Date.now() < seen.expiresAtMs) return seen.sub;
      this.verified.delete(token); // expired: verified again below, which says so
    }
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token);
      if (claims.typ !== 'access' || typeof claims.sub !== 'string') throw new Error('not an access token');
      if (typeof claims.exp === 'number') {
        // The oldest entry makes room (a Map iterates in insertion order).
        if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
        this.verified.set(token, { sub: claims.sub, expiresAtMs: claims.exp * 1000 });
      }
      return claims.sub;
    } catch (e) {
      if (e instanceof TokenExpiredError) throw new UnauthenticatedError('AUTH_TOKEN_EXPIRED', '登录已过期，请重新登录');
      throw new UnauthenticatedError('AUTH_TOKEN_INVALID', '访问令牌无效');
    }
  }
}
