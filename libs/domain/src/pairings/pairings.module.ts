import { Module } from '@nestjs/common';
import { FormsService } from '../forms/forms.service';
import { PairingsService } from './pairings.service';

/** Statistics forms and the county pairing registry built on them (晋乡振发〔2021〕29号). */
@Module({
  providers: [FormsService, PairingsService],
  exports: [FormsService, PairingsService],
})
export class PairingsModule {}
