import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service';
import { OutboxRelayService } from './outbox-relay.service';
import { RemindersService } from './reminders.service';

/** The outbox relay and the in-app inbox. */
@Module({ providers: [NotificationsService, OutboxRelayService, RemindersService], exports: [NotificationsService, OutboxRelayService, RemindersService] })
export class NotificationsModule {}
