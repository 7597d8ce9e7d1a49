import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { DEMO_PASSWORD } from '@duban/domain';
import { DemoHttp } from './demo-http';
import { DemoMonth, MONTH } from './demo-month';
import { DemoStack } from './demo-stack';
import { writeDemoOutputs, printSummary } from './demo-output';

interface DemoOptions {
  keep?: boolean;
  port?: number;
}

/**
 * `npm run demo`: the whole product in one command. It builds a fresh demo database, starts the
 * real API (on a port) and the real worker in this process with one ManualClock, then plays a
 * month through the HTTP API as officers, heads, city bureaus and coordinators. Time is the
 * injected clock: each day of the month takes a moment, and the engine's sweep runs after each
 * move of the clock, as its one-minute scheduler would.
 */
@Command({ name: 'demo', description: '演示：新建演示库，启动 API 与 worker，通过 HTTP 模拟一个月的督办工作，输出台账、通报与汇总表' })
export class DemoCommand extends CommandRunner {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async run(_: string[], options: DemoOptions): Promise<void> {
    const started = Date.now();
    const say = (line: string) => console.log(line);
    const port = options.port ?? 3100;
    say('== 1/4 准备演示环境（独立的演示数据库与队列前缀）');
    const stack = await DemoStack.start(this.config, { port, startAt: MONTH.first, say });
    say(`API 与 worker 已在本进程启动：${stack.baseUrl}`);
    try {
      const http = new DemoHttp(stack.baseUrl, DEMO_PASSWORD);
      say(`\n== 2/4 模拟 ${MONTH.first} 至 ${MONTH.last}（注入时钟：每天 10:00，周末与节假日不发提醒）`);
      const month = await new DemoMonth(DEMO_PASSWORD, http, stack, say).play();
      say('\n== 3/4 协调员汇总');
      await printSummary(http, month, say);
      say('\n== 4/4 输出文件');
      await writeDemoOutputs(http, month, say);
      say(`\n演示完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒。`);
      if (options.keep) {
        say(`\n服务保持运行（Ctrl+C 退出）：状态看板 ${stack.baseUrl}/board ，接口文档 ${stack.baseUrl}/api/docs ，演示用户密码 ${DEMO_PASSWORD}`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      }
    } finally {
      await stack.stop();
    }
  }

  @Option({ flags: '--keep', description: '演示结束后保持 API 与 worker 运行，并打印 /board 地址' })
  parseKeep(): boolean {
    return true;
  }

  @Option({ flags: '--port <port>', description: 'API 端口（默认 3100；0 表示任选空闲端口）' })
  parsePort(value: string): number {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port 必须是 0-65535 的整数（0 表示任选空闲端口）：${value}`);
    return port;
  }
}
