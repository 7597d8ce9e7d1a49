import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { preparedQuery } from '@duban/database';
import type { UnitKind } from '../organizations/unit-kind';
import { ApiTokenEntity } from './api-token.entity';
import type { Role } from './role';
import { UserEntity } from './user.entity';

/** Users and API tokens. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findUserWithSecret(username: string): Promise<UserEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .innerJoinAndSelect('u.unit', 'unit')
      .where('u.username = :username', { username })
      .getOne();
  }

  /** What a request's actor needs, in one plain query: it runs on every authenticated request, so it is prepared once per connection. */
  async findActorRow(id: string): Promise<{ id: string; username: string; roles: Role[]; active: boolean; unit: { id: string; kind: UnitKind; parentId: string | null } } | null> {
    const rows = await preparedQuery<{ id: string; username: string; roles: Role[]; active: boolean; unit_id: string; kind: UnitKind; parent_id: string | null }>(
      this.dataSource,
      'accounts.actor_row',
      `select s.id, s.username, s.roles, s.active, u.id as unit_id, u.kind, u.parent_id from users s join units u on u.id = s.unit_id where s.id = $1`,
      [id],
    );
    const r = rows[0];
    return r ? { id: r.id, username: r.username, roles: r.roles, active: r.active, unit: { id: r.unit_id, kind: r.kind, parentId: r.parent_id } } : null;
  }

  findUser(id: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOne(UserEntity, { where: { id }, relations: { unit: true } });
  }

  /** The user row, locked for the rest of the transaction. */
  lockUser(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findUserByName(username: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { username }, relations: { unit: true } });
  }

  async listUsers(limit: number, offset: number): Promise<{ items: UserEntity[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(UserEntity, { order: { username: 'ASC' }, take: limit, skip: offset });
    return { items, total };
  }

  saveUser(manager: EntityManager, user: Partial<UserEntity>): Promise<UserEntity> {
    return manager.save(manager.create(UserEntity, user));
  }

  async findTokenByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.dataSource.manager.findOne(ApiTokenEntity, { where: { tokenHash }, relations: { user: { unit: true } } });
  }

  async touchToken(id: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(ApiTokenEntity, { id }, { lastUsedAt: at });
  }

  saveToken(manager: EntityManager, token: Partial<ApiTokenEntity>): Promise<ApiTokenEntity> {
    return manager.save(manager.create(ApiTokenEntity, token));
  }

  listTokens(userId: string): Promise<ApiTokenEntity[]> {
    return this.dataSource.manager.find(ApiTokenEntity, { where: { userId }, order: { createdAt: 'DESC' } });
  }

  async revokeToken(userId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.dataSource.manager.update(ApiTokenEntity, { id, userId, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }
}
