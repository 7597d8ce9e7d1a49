import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CalendarService, missingCalendarNotice } from '@duban/calendar';
import { ProvisionalDatesService } from '@duban/domain';

interface ImportOptions {
  label?: string;
  replace?: boolean;
}

/** 2004,2005,…,2026,2028 -> "2004–2026、2028" */
function formatYears(years: number[]): string {
  if (years.length === 0) return '无';
  const parts: string[] = [];
  let start = years[0];
  for (let i = 1; i <= years.length; i++) {
    if (i < years.length && years[i] === years[i - 1] + 1) continue;
    const end = years[i - 1];
    parts.push(start === end ? `${start}` : `${start}–${end}`);
    start = years[i];
  }
  return parts.join('、');
}

/**
 * Every year in the shipped data (2004–2026) has 22 or more days off (the festivals with their bridging
 * days); a covered year with fewer than 20 was most likely imported from an incomplete file.
 */
const FEWEST_HOLIDAYS_EXPECTED = 20;

/** Prints coverage, and a loud warning on stderr when the current or next year has no data. */
async function printStatus(calendar: CalendarService): Promise<void> {
  const status = await calendar.status();
  console.log(`已覆盖年份：${formatYears(status.coveredYears)}（今年 ${status.currentYear}，明年 ${status.nextYear}）`);
  const notice = missingCalendarNotice(status.missing);
  if (notice) {
    const bar = '!'.repeat(60);
    console.error(`\n${bar}\n${notice}\n${bar}\n`);
  } else {
    console.log(`今年与明年的节假日安排均已导入。`);
  }
}

/** Recomputes the provisional dates the calendar now covers and says what moved. */
async function printRecomputed(provisional: ProvisionalDatesService): Promise<void> {
  const { cleared, changed } = await provisional.recompute();
  if (cleared === 0) return;
  console.log(`按新的工作日历重新计算了 ${cleared} 个暂定日期，其中 ${changed.length} 个有变化，已通知相关牵头单位：`);
  for (const c of changed.slice(0, 20)) console.log(`  ${c.kind} ${c.id}：${c.before} → ${c.after}`);
  if (changed.length > 20) console.log(`  ……另有 ${changed.length - 20} 个`);
}

/** Loads the holidays and make-up workdays shipped in chinese-days (idempotent). */
@Command({ name: 'calendar:seed', description: '从 chinese-days 导入节假日与调休安排（可重复执行），并检查今年、明年是否已覆盖' })
export class CalendarSeedCommand extends CommandRunner {
  constructor(
    private readonly calendar: CalendarService,
    private readonly provisional: ProvisionalDatesService,
  ) {
    super();
  }

  async run(): Promise<void> {
    const report = await this.calendar.seedFromLibrary();
    console.log(`工作日历（${report.source}）：覆盖 ${formatYears(report.years)} 年，共 ${report.days} 个节假日/调休上班日，本次写入 ${report.written} 行`);
    if (report.keptYears.length > 0) {
      console.log(`  ${formatYears(report.keptYears)} 年已由人工导入，保留导入的数据，未用 chinese-days 覆盖`);
    }
    await printRecomputed(this.provisional);
    await printStatus(this.calendar);
  }
}

/** Imports a year's State Council holiday notice from CSV; exit code 2 when rows were rejected (nothing written). */
@Command({
  name: 'calendar:import',
  arguments: '<file>',
  description: '从 CSV（date,kind,name）导入某年的节假日安排通知；有被拒绝的行时不写入任何内容',
})
export class CalendarImportCommand extends CommandRunner {
  constructor(
    private readonly calendar: CalendarService,
    private readonly provisional: ProvisionalDatesService,
  ) {
    super();
  }

  async run([file]: string[], options: ImportOptions): Promise<void> {
    const label = options.label ?? basename(file);
    const report = await this.calendar.importCsv(await readFile(file, 'utf8'), label, { replace: options.replace });
    if (!report.written) {
      console.error(`导入 ${file}：拒绝 ${report.rejected.length} 行，未写入任何内容`);
      for (const r of report.rejected) console.error(`  第 ${r.row} 行：${r.reason}`);
      process.exitCode = 2;
      return;
    }
    const how = options.replace ? '（已替换这些年份的原有数据）' : '';
    console.log(`导入 ${file}（来源 import:${label}）：${formatYears(report.years)} 年，写入 ${report.days} 行${how}`);
    const calendar = await this.calendar.load();
    for (const year of report.years) {
      const holidays = calendar.rowsOf(year).filter((d) => d.kind === 'holiday').length;
      if (holidays < FEWEST_HOLIDAYS_EXPECTED) {
        console.error(`注意：${year} 年现在只有 ${holidays} 个放假日（往年都在 ${FEWEST_HOLIDAYS_EXPECTED} 个以上），请核对导入的文件是否完整。`);
      }
    }
    await printRecomputed(this.provisional);
    await printStatus(this.calendar);
  }

  @Option({ flags: '-l, --label <text>', description: '来源说明，例如通知文号（默认文件名）' })
  parseLabel(value: string): string {
    return value;
  }

  @Option({ flags: '--replace', description: '以文件为准：先删除文件所涉年份的原有节假日/调休数据' })
  parseReplace(): boolean {
    return true;
  }
}
