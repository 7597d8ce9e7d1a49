import { Module } from '@nestjs/common';
import { LedgerService } from './ledger.service';
import { TrackingRepository } from './tracking.repository';
import { TrackingService } from './tracking.service';

/** Coordinator tracking: summaries, lights, target progress, rankings, bulletins and ledger exports. */
@Module({ providers: [TrackingRepository, TrackingService, LedgerService], exports: [TrackingService, LedgerService] })
export class TrackingModule {}
