import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service';
import { OutboxRelayService } from './outbox-relay.service';

/** The outbox relay and the in-app inbox. */
@Module({ providers: [NotificationsService, OutboxRelayService], exports: [NotificationsService, OutboxRelayService] })
export class NotificationsModule {}
