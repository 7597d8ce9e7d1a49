import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { DeliveriesService } from '@duban/domain';
import { JOBS, JOB_OPTIONS, QUEUES, QueueProducer } from '@duban/queue';

/**
 * The delivery channels' schedulers and their reconciliation, installed by SchedulesService at
 * every start and whenever Redis has lost its keys (they live in Redis only): pending deliveries
 * get their jobs back, undispatched notifications are dispatched, and a digest missed while the
 * worker was down is sent (its key makes it once).
 */
@Injectable()
export class DeliverySchedulesService {
  private readonly logger = new Logger(DeliverySchedulesService.name);

  constructor(
    private readonly producer: QueueProducer,
    private readonly deliveries: DeliveriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async install(): Promise<void> {
    const queue = this.producer.queue(QUEUES.deliveries);
    await queue.upsertJobScheduler('delivery-dispatch', { every: 1_000 }, { name: JOBS.DeliveryDispatch, data: {}, opts: JOB_OPTIONS.DeliveryDispatch });
    await queue.upsertJobScheduler('delivery-reconcile', { every: 60_000 }, { name: JOBS.DeliveryReconcile, data: {}, opts: JOB_OPTIONS.DeliveryReconcile });
    const [hh, mm] = this.config.delivery.digestAt.split(':').map(Number);
    await queue.upsertJobScheduler('digest-send', { pattern: `${mm} ${hh} * * *`, tz: this.config.timeZone }, { name: JOBS.DigestSend, data: {}, opts: JOB_OPTIONS.DigestSend });
    const again = await this.deliveries.reconcile();
    const dispatched = await this.deliveries.dispatch();
    const digest = await this.deliveries.digest();
    this.logger.log(
      `投递：${this.deliveries.mailEnabled ? '邮件已启用' : '未配置 SMTP_URL，不发送邮件'}；重新入队 ${again} 条待投递，新分发 ${dispatched} 条，日报 ${digest.created} 封（${digest.skipped ?? digest.date}）`,
    );
  }
}
