import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { Public } from '../auth/auth.decorators';
import { boardPage } from './board-page';

/** The status board page (/board). Public: the page itself holds no data, it signs in to fetch it. */
@ApiExcludeController()
@Controller('board')
export class BoardController {
  private readonly html: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.html = boardPage(config.tracking.boardRefreshSeconds);
  }

  @Get()
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @Header('x-content-type-options', 'nosniff')
  @Header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:")
  page(): string {
    return this.html;
  }
}
