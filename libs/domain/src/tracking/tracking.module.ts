import { Module } from '@nestjs/common';
import { LedgerService } from './ledger.service';
import { TrackingAnswerCache } from './tracking-answer-cache';
import { TrackingReadRepository } from './tracking-read.repository';
import { TrackingRefreshService } from './tracking-refresh.service';
import { TrackingRepository } from './tracking.repository';
import { TrackingService } from './tracking.service';

/** Coordinator tracking: summaries, lights, target progress, rankings, bulletins and ledger exports. */
@Module({
  providers: [TrackingRepository, TrackingReadRepository, TrackingRefreshService, TrackingService, LedgerService, TrackingAnswerCache],
  exports: [TrackingService, TrackingRefreshService, LedgerService, TrackingAnswerCache],
})
export class TrackingModule {}
