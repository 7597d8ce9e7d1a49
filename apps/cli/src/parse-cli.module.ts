import { Module } from '@nestjs/common';
import { ParseCommand } from './parse.command';

/** Commands that need no database or Redis. */
@Module({ providers: [ParseCommand] })
export class ParseCliModule {}
