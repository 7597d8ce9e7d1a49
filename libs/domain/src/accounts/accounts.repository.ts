import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity';
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
