import { Module } from '@nestjs/common';
import { DeliveriesService } from './deliveries.service';
import { DeliverySenderService } from './delivery-sender.service';
import { MailTransportService } from './mail-transport.service';
import { PreferencesService } from './preferences.service';
import { WebhooksService } from './webhooks.service';

/** Mail, webhook and digest channels of the inbox, with per-user preferences. */
@Module({
  providers: [DeliveriesService, DeliverySenderService, MailTransportService, PreferencesService, WebhooksService],
  exports: [DeliveriesService, DeliverySenderService, PreferencesService, WebhooksService],
})
export class DeliveryModule {}
