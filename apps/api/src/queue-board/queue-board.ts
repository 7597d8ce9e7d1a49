import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@duban/config';
import { DomainError, hasRole, type Actor } from '@duban/domain';
import { QueueProducer } from '@duban/queue';
import { BearerAuthService } from '../auth/bearer-auth.service';

/** Where Bull Board is served (outside /api/v1: it is a browser page, not an API). */
export const BOARD_PATH = '/admin/queues';
/** HttpOnly cookie carrying the access token to the board only (Path=/admin/queues). */
export const BOARD_COOKIE = 'duban_board';

/**
 * A browser cannot send a bearer header when it opens a page, so login sets this cookie for
 * coordinators and admins: HttpOnly (no script reads it), SameSite=Strict (no cross-site request
 * carries it, which covers the board's POST actions) and scoped to the board's path.
 */
export function boardCookie(token: string, config: AppConfig): string {
  return `${BOARD_COOKIE}=${token}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${config.auth.jwtTtlSeconds}${config.env === 'production' ? '; Secure' : ''}`;
}

function tokenOf(req: FastifyRequest): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return bearer[1];
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === BOARD_COOKIE && rest.length) return decodeURIComponent(rest.join('='));
  }
  return null;
}

async function refuse(req: FastifyRequest, reply: FastifyReply, status: 401 | 403, code: string, message: string): Promise<void> {
  await reply.code(status).header('content-type', 'application/json; charset=utf-8').send({ statusCode: status, code, message, requestId: req.id });
}

/** Bull Board over every Duban queue, for coordinators and admins only (cookie or bearer header). */
export async function registerQueueBoard(app: NestFastifyApplication): Promise<void> {
  const producer = app.get(QueueProducer);
  const bearer = app.get(BearerAuthService);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: producer.all().map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: '督办队列' } } });
  await app.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (req, reply) => {
        const token = tokenOf(req);
        if (!token) return refuse(req, reply, 401, 'AUTH_REQUIRED', '请先登录（登录后浏览器会收到访问队列面板的 Cookie）');
        let actor: Actor;
        try {
          actor = await bearer.actorFor(token);
        } catch (e) {
          if (e instanceof DomainError) return refuse(req, reply, 401, e.code, e.message);
          throw e;
        }
        if (!hasRole(actor, 'coordinator', 'admin')) return refuse(req, reply, 403, 'FORBIDDEN_ROLE', '需要以下角色之一：督办协调员、管理员');
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
