import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { Clock } from '@duban/calendar';
import { isPgError, PG_UNIQUE_VIOLATION } from '@duban/database';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationFailedError } from '../common/domain.errors';
import type { UnitEntity } from '../organizations/unit.entity';
import { UnitsRepository } from '../organizations/units.repository';
import { AccountsRepository } from './accounts.repository';
import type { Actor } from './actor';
import type { ApiTokenEntity } from './api-token.entity';
import { ROLES, type Role } from './role';
import type { UserEntity } from './user.entity';
import { AuditService } from '../audit/audit.service';

export const API_TOKEN_PREFIX = 'dbn_';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  unitId: string;
  roles: Role[];
  email?: string | null;
  phone?: string | null;
}

/** Verifying against this keeps a login for an unknown user as slow as one with a wrong password. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$Y+ecbFu0AoIwU5tIAvuDUw$LNjZ3xMXxckFE5Bfdp12NGbTeXqAnUzIW+deZPxlLKE';

/** Sign-in, users and API tokens. Tokens for HTTP (JWT) are issued by the API; this checks identity. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly units: UnitsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async authenticate(username: string, password: string): Promise<UserEntity> {
    const user = await this.accounts.findUserWithSecret(username);
    const ok = await verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
    if (!user || !ok || !user.active) {
      throw new UnauthenticatedError('AUTH_BAD_CREDENTIALS', '用户名或密码错误');
    }
    return user;
  }

  /** The actor for a user id taken from a token; fails when the user is gone or disabled. */
  async actorForUserId(userId: string): Promise<Actor> {
    const user = await this.accounts.findActorRow(userId);
    if (!user || !user.active) throw new UnauthenticatedError('AUTH_USER_INACTIVE', '用户不存在或已停用');
    return this.actorFor(user, user.unit);
  }

  actorFor(user: Pick<UserEntity, 'id' | 'username' | 'roles'>, unit: Pick<UnitEntity, 'id' | 'kind' | 'parentId'>): Actor {
    const cityId =
      unit.kind === 'city_government' ? unit.id : unit.kind === 'city_bureau' || unit.kind === 'county' ? unit.parentId : null;
    return { userId: user.id, username: user.username, unitId: unit.id, unitKind: unit.kind, cityId, roles: user.roles };
  }

  async createUser(input: NewUser, actor: Actor | null = null): Promise<UserEntity> {
    const bad = input.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (bad.length || input.roles.length === 0) {
      throw new ValidationFailedError('角色无效', [{ field: 'roles', message: `可选角色：${ROLES.join(', ')}` }]);
    }
    const unit = await this.units.findById(input.unitId);
    if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', '单位不存在');
    const passwordHash = await hash(input.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.accounts.saveUser(manager, {
          username: input.username,
          displayName: input.displayName,
          unitId: unit.id,
          roles: input.roles,
          email: input.email ?? null,
          phone: input.phone ?? null,
          passwordHash,
        });
        await this.audit.record(manager, actor, { action: 'user.created', entityType: 'user', entityId: user.id, after: { username: user.username, unitId: unit.id, roles: user.roles } });
        return user;
      });
    } catch (e) {
      if (isPgError(e, PG_UNIQUE_VIOLATION)) {
        throw new ConflictError('USER_EXISTS', `用户名“${input.username}”已存在`, [{ field: 'username', message: '已存在' }]);
      }
      throw e;
    }
  }

  /** Creates the user, or resets password, unit and roles of an existing one (demo seeding). */
  async upsertUser(input: NewUser): Promise<{ user: UserEntity; created: boolean }> {
    const passwordHash = await hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.accounts.findUserByName(input.username, manager);
      const user = await this.accounts.saveUser(manager, {
        ...(existing ? { id: existing.id, version: existing.version } : {}),
        username: input.username,
        displayName: input.displayName,
        unitId: input.unitId,
        roles: input.roles,
        email: input.email ?? null,
        phone: input.phone ?? null,
        passwordHash,
        active: true,
      });
      return { user, created: !existing };
    });
  }

  async createApiToken(actor: Actor, name: string, expiresInDays: number | null): Promise<{ token: string; entity: ApiTokenEntity }> {
    const token = API_TOKEN_PREFIX + randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const entity = await this.dataSource.transaction((manager) =>
      this.accounts.saveToken(manager, {
        userId: actor.userId,
        name,
        tokenHash: sha256(token),
        prefix: token.slice(0, 10),
        expiresAt: expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * 86_400_000),
      }),
    );
    return { token, entity };
  }

  async authenticateApiToken(token: string): Promise<Actor> {
    const found = await this.accounts.findTokenByHash(sha256(token));
    const now = this.clock.now();
    if (!found || found.revokedAt) throw new UnauthenticatedError('AUTH_TOKEN_INVALID', '访问令牌无效或已吊销');
    if (found.expiresAt && found.expiresAt <= now) throw new UnauthenticatedError('AUTH_TOKEN_EXPIRED', '访问令牌已过期，请重新获取');
    const user = found.user;
    if (!user?.active || !user.unit) throw new UnauthenticatedError('AUTH_USER_INACTIVE', '用户不存在或已停用');
    await this.accounts.touchToken(found.id, now);
    return this.actorFor(user, user.unit);
  }

  listApiTokens(actor: Actor): Promise<ApiTokenEntity[]> {
    return this.accounts.listTokens(actor.userId);
  }

  async revokeApiToken(actor: Actor, id: string): Promise<void> {
    const done = await this.accounts.revokeToken(actor.userId, id, this.clock.now());
    if (!done) throw new NotFoundError('API_TOKEN_NOT_FOUND', '访问令牌不存在或已吊销');
  }

  listUsers(limit: number, offset: number): Promise<{ items: UserEntity[]; total: number }> {
    return this.accounts.listUsers(limit, offset);
  }

  /** Changes roles or disables a user; a disabled user's tokens stop working at once. */
  async updateUser(actor: Actor, id: string, patch: { roles?: Role[]; active?: boolean }): Promise<UserEntity> {
    if (id === actor.userId && (patch.active === false || (patch.roles && !patch.roles.includes('admin')))) {
      throw new ValidationFailedError('不能停用自己或取消自己的管理员角色', [{ field: 'id', message: '不能修改自己' }], 'USER_SELF_CHANGE');
    }
    return this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.lockUser(manager, id);
      if (!user) throw new NotFoundError('USER_NOT_FOUND', '用户不存在');
      const before = { roles: user.roles, active: user.active };
      if (patch.roles) user.roles = patch.roles;
      if (patch.active !== undefined) user.active = patch.active;
      const saved = await this.accounts.saveUser(manager, user);
      await this.audit.record(manager, actor, { action: 'user.updated', entityType: 'user', entityId: id, before, after: { roles: saved.roles, active: saved.active } });
      return saved;
    });
  }

  findUser(id: string): Promise<UserEntity | null> {
    return this.accounts.findUser(id);
  }
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
