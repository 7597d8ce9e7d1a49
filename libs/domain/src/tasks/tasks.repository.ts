import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Target } from '@duban/policy-parser';
import type { ReportingCycle } from '../documents/measure.entity';

export interface NewTask {
  documentId: string;
  measureId: string;
  assignmentKey: string;
  title: string;
  dueOn: string | null;
  reportingCycle: ReportingCycle;
  customReportDates: string[];
  targets: Target[];
  leads: string[];
  cooperating: string[];
}

const CHUNK = 2000;

/** Task writes. Reads that need an actor's scope live with the workflow. */
@Injectable()
export class TasksRepository {
  /**
   * Inserts tasks with their units in multi-row statements; a task whose (measure, assignment)
   * exists already is left alone. Returns how many were created.
   */
  async insertNew(manager: EntityManager, tasks: NewTask[]): Promise<number> {
    let created = 0;
    for (let i = 0; i < tasks.length; i += CHUNK) {
      const chunk = tasks.slice(i, i + CHUNK);
      const rows: { id: string; measure_id: string; assignment_key: string }[] = await manager.query(
        `insert into tasks (document_id, measure_id, assignment_key, title, due_on, reporting_cycle, targets, custom_report_dates)
         select * from unnest($1::uuid[], $2::uuid[], $3::char(64)[], $4::text[], $5::date[], $6::varchar[], $7::jsonb[], $8::jsonb[])
         on conflict (measure_id, assignment_key) do nothing
         returning id, measure_id, assignment_key`,
        [
          chunk.map((t) => t.documentId),
          chunk.map((t) => t.measureId),
          chunk.map((t) => t.assignmentKey),
          chunk.map((t) => t.title),
          chunk.map((t) => t.dueOn),
          chunk.map((t) => t.reportingCycle),
          chunk.map((t) => JSON.stringify(t.targets)),
          chunk.map((t) => JSON.stringify(t.customReportDates)),
        ],
      );
      const byKey = new Map(chunk.map((t) => [`${t.measureId}/${t.assignmentKey}`, t]));
      const taskIds: string[] = [];
      const unitIds: string[] = [];
      const roles: string[] = [];
      for (const row of rows) {
        const spec = byKey.get(`${row.measure_id}/${row.assignment_key}`);
        if (!spec) continue;
        const members = [...spec.leads.map((u) => [u, 'lead']), ...spec.cooperating.map((u) => [u, 'cooperating'])];
        for (const [unitId, role] of members) {
          taskIds.push(row.id);
          unitIds.push(unitId);
          roles.push(role);
        }
      }
      if (taskIds.length) {
        await manager.query(`insert into task_units (task_id, unit_id, role) select * from unnest($1::uuid[], $2::uuid[], $3::varchar[])`, [taskIds, unitIds, roles]);
      }
      created += rows.length;
    }
    return created;
  }

  async countForDocument(manager: EntityManager, documentId: string): Promise<number> {
    const rows: { n: string }[] = await manager.query(`select count(*) as n from tasks where document_id = $1`, [documentId]);
    return Number(rows[0].n);
  }
}
