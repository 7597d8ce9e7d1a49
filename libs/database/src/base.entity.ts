import { CreateDateColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** Columns of every editable row: optimistic-lock version and timestamps (timestamptz). */
export abstract class VersionedEntity {
  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
