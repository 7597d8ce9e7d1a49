import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { QueueProducer } from './queue.producer';
import { QUEUES } from './queue.constants';
import { redisOptions } from './redis-connection';

/** Injection token of a plain ioredis client (health checks, rate data); not used by workers. */
export const REDIS = Symbol('REDIS');

/** Closes the plain Redis client when the application stops. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** BullMQ connection, every queue of the contract, the typed producer and a Redis client. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    const queues = Object.values(QUEUES).map((name) => BullModule.registerQueue({ name }));
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: redisOptions(config.redis.url, true),
            prefix: config.redis.queuePrefix,
          }),
        }),
        ...queues,
      ],
      providers: [
        QueueProducer,
        RedisCloser,
        {
          provide: REDIS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new Redis({ ...redisOptions(config.redis.url, false), lazyConnect: false }),
        },
      ],
      exports: [QueueProducer, REDIS, ...queues],
    };
  }
}
