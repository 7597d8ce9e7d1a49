import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, shanghaiDate } from '@duban/calendar';

/** Lead-unit officers and heads of a task (`x.task_id`), the people who report. */
const LEAD_REPORTERS = `join task_units tu on tu.task_id = x.task_id and tu.role = 'lead'
      join users us on us.unit_id = tu.unit_id and us.active and us.roles && array['officer','unit_head']`;

/**
 * Opens report periods on time: every period that has started and is not opened yet is marked
 * opened in PostgreSQL and its lead units are asked, once, to report ("请填报第N期进展"). The
 * UPDATE's `opened_at is null` is rechecked under the row lock, so a second or concurrent run
 * opens nothing twice; the inbox key `period-open-<id>` is a second guard. Periods of closed or
 * suspended tasks wait until the task is open again. "Missed" stays computed (decision 19).
 */
@Injectable()
export class ReportPeriodOpenerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async openDue(): Promise<{ opened: number }> {
    const now = this.clock.now();
    const [row] = await this.dataSource.query<{ opened: number }[]>(
      `with opened as (
         update report_periods p set opened_at = $2
           from tasks t
          where t.id = p.task_id and p.opened_at is null and p.starts_on <= $1::date
            and t.status in ('assigned', 'accepted', 'in_progress')
         returning p.id, p.task_id, p.starts_on, p.due_on, t.title),
       x as (
         select o.*, (select count(*) from report_periods q where q.task_id = o.task_id and q.starts_on <= o.starts_on) as n from opened o),
       notes as (
         insert into notifications (user_id, delivery_key, kind, title, body, entity_type, entity_id)
         select us.id, 'period-open-' || x.id, 'period.opened', '请填报第' || x.n || '期进展：' || x.title,
                '第' || x.n || '期报送已开始，请于 ' || to_char(x.due_on, 'YYYY-MM-DD') || ' 前报送本期进展、存在问题和下步计划。', 'task', x.task_id::text
           from x ${LEAD_REPORTERS}
         on conflict (user_id, delivery_key) do nothing)
       select count(*)::int as opened from opened`,
      [shanghaiDate(now), now],
    );
    return { opened: row.opened };
  }
}
