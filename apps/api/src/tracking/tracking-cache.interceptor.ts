import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, of, type Observable } from 'rxjs';
import { encodeAnswer, TrackingAnswerCache, TrackingService, taskScopeKey, type CachedAnswer } from '@duban/domain';
import type { AuthedRequest } from '../auth/auth.decorators';

/** Tells which answers came from the cache (`hit`), were computed and stored (`miss`), or could not be cached (`off`). */
export const CACHE_HEADER = 'x-tracking-cache';

/**
 * Serves a tracking GET from {@link TrackingAnswerCache} (decision 55). The key is the route, its
 * parameters and query as sent, the caller's task scope (equal scopes see the same answer; the
 * guard has already checked the roles), today and the end of the yellow window (the clock), and
 * the data version. A miss runs the handler, serializes its answer once and stores it. Callers that
 * accept gzip get the stored gzip (a 2.5 MB answer is about a tenth of that on the wire).
 */
@Injectable()
export class TrackingCacheInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: TrackingAnswerCache,
    private readonly tracking: TrackingService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<AuthedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const version = req.actor ? await this.cache.version() : null;
    if (version === null) {
      void reply.header(CACHE_HEADER, 'off');
      return next.handle();
    }
    const { today, warnUntil } = await this.tracking.dates();
    const query = new URLSearchParams(req.query as Record<string, string>);
    query.sort();
    const key = [req.routeOptions.url, JSON.stringify(req.params), query.toString(), taskScopeKey(req.actor!), today, warnUntil, version].join('\n');
    void reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const send = (answer: CachedAnswer): Buffer => {
      if (gzip && answer.gzip) {
        void reply.header('content-encoding', 'gzip');
        return answer.gzip;
      }
      return answer.json;
    };
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      void reply.header(CACHE_HEADER, 'hit');
      return of(send(hit));
    }
    void reply.header(CACHE_HEADER, 'miss');
    return next.handle().pipe(
      map((value: unknown) => {
        const answer = encodeAnswer(value);
        this.cache.set(key, answer);
        return send(answer);
      }),
    );
  }
}
