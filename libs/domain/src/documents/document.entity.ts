import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '@duban/database';
import type { DocumentRequest, Form, ParsedDocument, Section } from '@duban/policy-parser';

export type DocumentStatus = 'draft' | 'published';
export type DocumentSourceType = 'txt' | 'docx' | 'pdf' | 'text';

/** An imported policy document: what the parser read, and whether its tasks have been published. */
@Entity({ name: 'documents' })
export class DocumentEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  docNumber: string | null;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'text', nullable: true })
  enclosedTitle: string | null;

  @Column({ type: 'text', nullable: true })
  issuer: string | null;

  @Column({ type: 'date', nullable: true })
  issuedOn: string | null;

  @Column({ type: 'jsonb' })
  addressees: string[];

  @Column({ type: 'jsonb' })
  cc: string[];

  @Column({ type: 'jsonb' })
  requests: DocumentRequest[];

  @Column({ type: 'jsonb' })
  sections: Section[];

  @Column({ type: 'jsonb' })
  forms: Form[];

  @Column({ type: 'jsonb' })
  warnings: string[];

  /** The parser's whole output, kept as provenance. */
  @Column({ type: 'jsonb', select: false })
  parsed: ParsedDocument;

  /** The cleaned text that measure spans point into. */
  @Column({ type: 'text', select: false })
  cleanedText: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  sourceFilename: string | null;

  @Column({ type: 'varchar', length: 8 })
  sourceType: DocumentSourceType;

  @Column({ type: 'char', length: 64 })
  sourceSha256: string;

  @Column({ type: 'integer' })
  sourceBytes: number;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: DocumentStatus;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  publishedBy: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  /** The document's override of the deadline rules for all its tasks ({} inherits the defaults). */
  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  deadlineSettings: Record<string, unknown>;
}
