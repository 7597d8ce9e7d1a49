import { gzipSync } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { preparedQuery } from '@duban/database';

/**
 * Serialized tracking answers (summaries, the grid, targets, the ranking), kept in this process's
 * memory under a key that holds the data version they were computed at (decision 55). The version
 * is read in one small query: the read model's day and generation (bumped by every fold that
 * changed it), the dirty tasks waiting to be
 * folded (the last id and how many), and the catalog version (documents, measures, units). Every
 * write a tracking answer depends on changes one of them in the writing transaction, so an answer
 * is served again only while nothing it reads has changed; the version is read before the answer is
 * computed, so an answer is never older than the version it is stored under. While the model is
 * being rebuilt there is no version and nothing is cached. Least recently used entries go first
 * once `TRACKING_CACHE_MB` is full. An answer is kept as bytes and gzipped, ready to send.
 */
/** A serialized answer: its UTF-8 bytes, and gzipped when that is worth it (answers over 8 KB). */
export interface CachedAnswer {
  json: Buffer;
  gzip: Buffer | null;
}

/** Encodes an answer once for every later request: the bytes, and their gzip (fast level: it runs on a miss). */
export function encodeAnswer(answer: unknown): CachedAnswer {
  const json = Buffer.from(JSON.stringify(answer));
  return { json, gzip: json.length > 8192 ? gzipSync(json, { level: 1 }) : null };
}

@Injectable()
export class TrackingAnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private bytes = 0;
  private readonly maxBytes: number;
  hits = 0;
  misses = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxBytes = config.tracking.cacheMegabytes * 1024 * 1024;
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The data version, or null when answers must not be cached (the read model is being rebuilt, or the cache is off). */
  async version(): Promise<string | null> {
    if (!this.enabled) return null;
    const [r] = await preparedQuery<{ v: string | null }>(
      this.dataSource,
      'tracking.answer_version',
      `select case when s.needs_rebuild then null
                   else concat_ws('|', s.as_of, s.warn_until, s.generation, c.version,
                                  (select coalesce(max(id), 0) from tracking_dirty), (select count(*) from tracking_dirty)) end as v
         from tracking_state s cross join tracking_catalog c`,
      [],
    );
    return r?.v ?? null;
  }

  /** Forgets every answer (the benchmark measures computed answers this way). */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get(key: string): CachedAnswer | undefined {
    const answer = this.entries.get(key);
    if (answer === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, answer);
    return answer;
  }

  set(key: string, answer: CachedAnswer): void {
    const size = sizeOf(answer);
    if (size > this.maxBytes / 4) return; // one answer never takes more than a quarter
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= sizeOf(old);
      this.entries.delete(key);
    }
    this.entries.set(key, answer);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(v);
    }
  }
}

const sizeOf = (a: CachedAnswer): number => a.json.length + (a.gzip?.length ?? 0);
