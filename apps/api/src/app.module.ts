import { createSecretKey } from 'node:crypto';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { CalendarModule, type Clock } from '@duban/calendar';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@duban/config';
import { DatabaseModule } from '@duban/database';
import { AuditModule, DeadlinesModule, DeliveryModule, DocumentsModule, ENTITIES, NotificationsModule, OrganizationsModule, PairingsModule, TrackingModule, WorkflowModule } from '@duban/domain';
import { QueueModule } from '@duban/queue';
import { MIGRATIONS } from '../../../migrations';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { ActorCache } from './auth/actor-cache.service';
import { BearerAuthService } from './auth/bearer-auth.service';
import { DeliveriesController, PreferencesController, WebhooksController } from './notifications/delivery.controller';
import { UsersController } from './auth/users.controller';
import { DocumentsController } from './documents/documents.controller';
import { DeadlineSettingsController } from './deadlines/deadline-settings.controller';
import { AuditController } from './audit/audit.controller';
import { EscalationsController, NotificationsController } from './notifications/notifications.controller';
import { EvidenceController, TasksController } from './tasks/tasks.controller';
import { ReviewsController } from './tasks/reviews.controller';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { UnitsController } from './units/units.controller';
import { FormsController } from './pairings/forms.controller';
import { PairingsController } from './pairings/pairings.controller';
import { BoardController } from './tracking/board.controller';
import { TrackingController } from './tracking/tracking.controller';

/** The HTTP API. Built from a validated config so tests and main share one composition. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        CalendarModule.forRoot(clock),
        LoggerModule.forRoot({
          // Only /api/v1 routes: health probes and metric scrapes would drown the log.
          forRoutes: [{ path: '{/*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.log.level,
            // fastify assigns the id (from X-Request-Id or a new UUID) and mirrors it into the header.
            genReqId: (req) => String(req.headers['x-request-id']),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            customProps: () => ({ app: 'api' }),
            transport: config.log.format === 'pretty' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
        }),
        DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
        QueueModule.forRoot(),
        JwtModule.registerAsync({
          global: true,
          inject: [APP_CONFIG],
          // A KeyObject: given a string, jsonwebtoken tries it as a public key (and throws) on every verify.
          useFactory: (c: AppConfig) => ({ secret: createSecretKey(Buffer.from(c.auth.jwtSecret)), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        OrganizationsModule,
        DocumentsModule,
        AuditModule,
        WorkflowModule,
        NotificationsModule,
        PairingsModule,
        DeadlinesModule,
        DeliveryModule,
        TrackingModule,
      ],
      controllers: [
        AuthController,
        UsersController,
        UnitsController,
        DocumentsController,
        TasksController,
        EvidenceController,
        ReviewsController,
        AuditController,
        NotificationsController,
        EscalationsController,
        FormsController,
        PairingsController,
        DeadlineSettingsController,
        PreferencesController,
        WebhooksController,
        DeliveriesController,
        TrackingController,
        BoardController,
        HealthController,
        MetricsController,
      ],
      providers: [
        MetricsService,
        BearerAuthService,
        ActorCache,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
