import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, shanghaiDate } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { hasRole, type Actor } from '../accounts/actor';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, ValidationFailedError } from '../common/domain.errors';
import { inferTemplate, type FormColumn, type FormTemplateSpec } from './form-template';
import { checkForm, toFieldProblems, type CellProblem, type CheckedRow } from './form-validation';
import { readFormXlsx, writeFormXlsx } from './form-xlsx';
import { UnitDirectory } from './unit-directory';
import { inspectXlsx } from './xlsx-guard';

export interface FormTemplateView extends FormTemplateSpec {
  id: string;
  sourceDocumentId: string | null;
  version: number;
}

export interface TemplateInput {
  /** Build the template from this document's attached form (as the parser found it). */
  documentId?: string;
  formIndex?: number;
  title?: string;
  columns?: FormColumn[];
  headerFields?: string[];
  footerFields?: string[];
  uniqueBy?: string[];
}

export interface CampaignInput {
  templateId: string;
  /** The notice that asks for the form; defaults to the template's source document. */
  documentId?: string;
  title?: string;
  /** Defaults to the date of the notice's request that names the form (各市于8月23日前…报送). */
  dueOn?: string;
  /** Defaults to the 11 city bureaus. */
  unitIds?: string[];
}

export type SubmissionStatus = 'submitted' | 'accepted' | 'returned';

export interface FormSubmissionView {
  id: string;
  campaignId: string;
  unitId: string;
  unitName: string;
  taskId: string;
  revision: number;
  status: SubmissionStatus;
  source: 'json' | 'xlsx';
  header: Record<string, string>;
  rows: CheckedRow[];
  late: boolean;
  submittedAt: string;
  reviewComment: string | null;
  appliedAt: string | null;
  version: number;
}

export interface CampaignUnitView {
  unitId: string;
  unitName: string;
  taskId: string;
  /** The latest revision's status, or `missing` when the unit has sent nothing. */
  status: SubmissionStatus | 'missing';
  late: boolean;
  revision: number | null;
}

export interface CampaignView {
  id: string;
  templateId: string;
  documentId: string;
  title: string;
  dueOn: string;
  status: 'open' | 'closed';
  kind: 'generic' | 'pairing';
  units: CampaignUnitView[];
  version: number;
}

export interface RollupView {
  campaignId: string;
  title: string;
  columns: string[];
  rows: string[][];
  /** Units that have sent nothing. */
  missing: { unitId: string; unitName: string }[];
  /** Units that sent but are not accepted yet (awaiting review or returned). */
  pending: { unitId: string; unitName: string; status: SubmissionStatus }[];
}

/** Hook for pairing forms: the pairing registry checks an accepted submission can be closed over. */
export const FORM_SUBMISSION_ENTITY = 'form_submission';

/**
 * Statistics forms (统计表): templates, collection campaigns sent as tasks, submissions (JSON or
 * .xlsx in the official layout) checked cell by cell, review, and the provincial roll-up.
 */
@Injectable()
export class FormsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- templates

  async createTemplate(actor: Actor, input: TemplateInput): Promise<FormTemplateView> {
    return this.dataSource.transaction(async (m) => {
      let spec: FormTemplateSpec;
      if (input.documentId) {
        const docs: { forms: { title: string; columns: string[]; headerFields: string[]; footerFields: string[] }[] }[] = await m.query(`select forms from documents where id = $1`, [input.documentId]);
        if (docs.length === 0) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
        const form = docs[0].forms[input.formIndex ?? 0];
        if (!form) throw new ValidationFailedError('该文件没有解析出附件统计表', [{ field: 'formIndex', message: `文件共有 ${docs[0].forms.length} 张表` }], 'DOCUMENT_HAS_NO_FORM');
        spec = inferTemplate(form);
      } else {
        if (!input.title || !input.columns || input.columns.length === 0) throw new ValidationFailedError('请给出表名和列，或给出 documentId', [{ field: 'columns', message: '必填' }]);
        spec = { title: input.title, kind: 'generic', columns: input.columns, headerFields: ['填报单位', '填报时间'], footerFields: ['填表人', '联系方式'], uniqueBy: [] };
      }
      spec = {
        ...spec,
        ...(input.title ? { title: input.title } : {}),
        ...(input.columns ? { columns: input.columns } : {}),
        ...(input.headerFields ? { headerFields: input.headerFields } : {}),
        ...(input.footerFields ? { footerFields: input.footerFields } : {}),
        ...(input.uniqueBy ? { uniqueBy: input.uniqueBy } : {}),
      };
      // A template whose columns carry every pairing role feeds the pairing registry, however it was made.
      const roles = new Set(spec.columns.map((c) => c.role));
      spec = { ...spec, kind: (['city', 'assisted', 'helper', 'person', 'title', 'phone'] as const).every((r) => roles.has(r)) ? 'pairing' : 'generic' };
      validateSpec(spec);
      const rows: { id: string }[] = await m.query(
        `insert into form_templates (title, kind, columns, header_fields, footer_fields, unique_by, source_document_id, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [spec.title, spec.kind, JSON.stringify(spec.columns), JSON.stringify(spec.headerFields), JSON.stringify(spec.footerFields), JSON.stringify(spec.uniqueBy), input.documentId ?? null, actor.userId],
      );
      await this.audit.record(m, actor, { action: 'form_template.created', entityType: 'form_template', entityId: rows[0].id, after: spec });
      return this.template(rows[0].id, m);
    });
  }

  async template(id: string, m: EntityManager = this.dataSource.manager): Promise<FormTemplateView> {
    const rows: Record<string, unknown>[] = await m.query(`select * from form_templates where id = $1`, [id]);
    if (rows.length === 0) throw new NotFoundError('FORM_TEMPLATE_NOT_FOUND', '统计表模板不存在');
    return toTemplate(rows[0]);
  }

  async templates(): Promise<FormTemplateView[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`select * from form_templates order by created_at`);
    return rows.map(toTemplate);
  }

  // ---- campaigns

  /** Creates a campaign and sends it: one task per unit, due on the campaign's deadline, in their task lists. */
  async createCampaign(actor: Actor, input: CampaignInput): Promise<CampaignView> {
    return this.dataSource.transaction(async (m) => {
      const template = await this.template(input.templateId, m);
      const documentId = input.documentId ?? template.sourceDocumentId;
      if (!documentId) throw new ValidationFailedError('请指定下发统计表的文件（documentId）', [{ field: 'documentId', message: '必填' }]);
      const docs: { status: string; doc_number: string | null; requests: { date: string | null; attachments: string[]; text: string }[] }[] = await m.query(
        `select status, doc_number, requests from documents where id = $1`,
        [documentId],
      );
      if (docs.length === 0) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
      if (docs[0].status !== 'published') throw new IllegalStateError('DOCUMENT_NOT_PUBLISHED', '文件尚未发布，不能据此征集统计表');
      const request = docs[0].requests.find((r) => r.date && (r.attachments.length > 0 || r.text.includes(template.title)));
      const dueOn = input.dueOn ?? request?.date ?? null;
      if (!dueOn) throw new ValidationFailedError('文件中没有找到报送时限，请指定 dueOn', [{ field: 'dueOn', message: '必填' }], 'CAMPAIGN_DUE_REQUIRED');
      const bureaus: { id: string }[] = input.unitIds ? [] : await m.query(`select id from units where kind = 'city_bureau' and active order by code`);
      const unitIds = input.unitIds ?? bureaus.map((r) => r.id);
      const found: { id: string }[] = await m.query(`select id from units where id = any($1::uuid[]) and active`, [unitIds]);
      if (unitIds.length === 0 || found.length !== new Set(unitIds).size) throw new ValidationFailedError('填报单位不存在或已停用', [{ field: 'unitIds', message: '请检查单位' }]);
      const title = input.title ?? `${template.title}${docs[0].doc_number ? `（${docs[0].doc_number}）` : ''}`;
      const [campaign]: { id: string }[] = await m.query(
        `insert into form_campaigns (template_id, document_id, title, due_on, created_by) values ($1, $2, $3, $4, $5) returning id`,
        [template.id, documentId, title, dueOn, actor.userId],
      );
      const keys = [...new Set(unitIds)].map((u) => createHash('sha256').update(u).digest('hex'));
      const tasks: { id: string; assignment_key: string }[] = await m.query(
        `insert into tasks (document_id, measure_id, origin, form_campaign_id, assignment_key, title, due_on, reporting_cycle, targets)
         select $1, null, 'form', $2, k, $3, $4, 'none', '[]'::jsonb from unnest($5::char(64)[]) as k returning id, assignment_key`,
        [documentId, campaign.id, `报送：${title}`, dueOn, keys],
      );
      const byKey = new Map(tasks.map((t) => [t.assignment_key, t.id]));
      const distinct = [...new Set(unitIds)];
      await m.query(`insert into task_units (task_id, unit_id, role) select t, u, 'lead' from unnest($1::uuid[], $2::uuid[]) as x(t, u)`, [
        distinct.map((_, i) => byKey.get(keys[i])),
        distinct,
      ]);
      await this.audit.record(m, actor, { action: 'form_campaign.published', entityType: 'form_campaign', entityId: campaign.id, after: { templateId: template.id, documentId, dueOn, units: distinct.length } });
      return this.campaign(actor, campaign.id, m);
    });
  }

  async campaigns(actor: Actor): Promise<CampaignView[]> {
    const ids: { id: string }[] = seesAll(actor)
      ? await this.dataSource.query(`select id from form_campaigns order by created_at desc`)
      : await this.dataSource.query(
          `select distinct c.id, c.created_at from form_campaigns c join tasks t on t.form_campaign_id = c.id join task_units tu on tu.task_id = t.id
            where tu.unit_id = $1 order by c.created_at desc`,
          [actor.unitId],
        );
    const out: CampaignView[] = [];
    for (const { id } of ids) out.push(await this.campaign(actor, id));
    return out;
  }

  /** A campaign with each unit's state; a recipient sees only its own row. */
  async campaign(actor: Actor, id: string, m: EntityManager = this.dataSource.manager): Promise<CampaignView> {
    const rows: Record<string, unknown>[] = await m.query(
      `select c.*, c.due_on::text as due, ft.kind from form_campaigns c join form_templates ft on ft.id = c.template_id where c.id = $1`,
      [id],
    );
    if (rows.length === 0) throw new NotFoundError('FORM_CAMPAIGN_NOT_FOUND', '统计表征集不存在');
    const units = await this.unitStates(m, id);
    const mine = seesAll(actor) ? units : units.filter((u) => u.unitId === actor.unitId);
    if (mine.length === 0) throw new NotFoundError('FORM_CAMPAIGN_NOT_FOUND', '统计表征集不存在');
    const c = rows[0];
    return {
      id,
      templateId: c.template_id as string,
      documentId: c.document_id as string,
      title: c.title as string,
      dueOn: c.due as string,
      status: c.status as 'open' | 'closed',
      kind: c.kind as 'generic' | 'pairing',
      units: mine,
      version: c.version as number,
    };
  }

  private async unitStates(m: EntityManager, campaignId: string): Promise<CampaignUnitView[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `select tu.unit_id, u.short_name, t.id as task_id, s.status, s.late, s.revision
         from tasks t join task_units tu on tu.task_id = t.id join units u on u.id = tu.unit_id
         left join lateral (select status, late, revision from form_submissions fs where fs.campaign_id = t.form_campaign_id and fs.unit_id = tu.unit_id order by revision desc limit 1) s on true
        where t.form_campaign_id = $1 order by u.code`,
      [campaignId],
    );
    return rows.map((r) => ({
      unitId: r.unit_id as string,
      unitName: r.short_name as string,
      taskId: r.task_id as string,
      status: (r.status as SubmissionStatus | null) ?? 'missing',
      late: (r.late as boolean | null) ?? false,
      revision: (r.revision as number | null) ?? null,
    }));
  }

  /**
   * Closes a campaign: no more submissions; tasks still open are closed. `beforeClose` lets the
   * pairing registry refuse while key assisted counties are uncovered.
   */
  async close(actor: Actor, id: string, version: number, beforeClose?: (m: EntityManager, kind: string) => Promise<void>): Promise<CampaignView> {
    return this.dataSource.transaction(async (m) => {
      const c = await this.lockCampaign(m, id, version);
      if (c.status === 'closed') throw new IllegalStateError('FORM_CAMPAIGN_CLOSED', '征集已结束');
      if (beforeClose) await beforeClose(m, c.kind);
      await m.query(`update form_campaigns set status = 'closed', closed_at = $2, version = version + 1, updated_at = now() where id = $1`, [id, this.clock.now()]);
      await m.query(`update tasks set status = 'closed', closed_at = $2, closed_by = $3, version = version + 1, updated_at = now() where form_campaign_id = $1 and status <> 'closed'`, [
        id,
        this.clock.now(),
        actor.userId,
      ]);
      await this.audit.record(m, actor, { action: 'form_campaign.closed', entityType: 'form_campaign', entityId: id, before: { status: 'open' }, after: { status: 'closed' } });
      return this.campaign(actor, id, m);
    });
  }

  private async lockCampaign(m: EntityManager, id: string, version: number | null): Promise<{ status: string; kind: string; dueOn: string; templateId: string }> {
    const rows: Record<string, unknown>[] = await m.query(
      `select c.status, c.version, c.due_on::text as due, c.template_id, ft.kind from form_campaigns c join form_templates ft on ft.id = c.template_id where c.id = $1 for update of c`,
      [id],
    );
    if (rows.length === 0) throw new NotFoundError('FORM_CAMPAIGN_NOT_FOUND', '统计表征集不存在');
    if (version !== null && rows[0].version !== version) throw new ConflictError('STALE_VERSION', '征集已被他人修改，请刷新后重试');
    return { status: rows[0].status as string, kind: rows[0].kind as string, dueOn: rows[0].due as string, templateId: rows[0].template_id as string };
  }

  // ---- submissions

  /** JSON submission: `{header: {填报单位, …}, rows: [{市名: …, …}]}`. Row numbers in errors count from 1. */
  submitJson(actor: Actor, campaignId: string, body: { header: Record<string, unknown>; rows: Record<string, unknown>[] }): Promise<FormSubmissionView> {
    return this.submit(actor, campaignId, 'json', async () => ({ header: body.header, rows: body.rows.map((values, i) => ({ values, sourceRow: i + 1 })) }));
  }

  /** .xlsx in the official layout; checked for size and zip bombs before it is parsed. Row numbers in errors are the sheet's. */
  submitXlsx(actor: Actor, campaignId: string, file: Buffer): Promise<FormSubmissionView> {
    return this.submit(actor, campaignId, 'xlsx', async (spec) => {
      const rejected = inspectXlsx(file, { maxBytes: this.config.forms.uploadMaxBytes, maxInflatedBytes: this.config.forms.xlsxMaxInflatedBytes, maxRatio: this.config.forms.xlsxMaxRatio });
      if (rejected) throw new ValidationFailedError(rejected.message, [{ field: 'file', message: rejected.message }], rejected.code);
      let sheet;
      try {
        sheet = await readFormXlsx(spec, file, this.config.forms.maxRows);
      } catch {
        // exceljs throws plain Errors on a malformed workbook; the user only needs to know it is unreadable.
        throw new ValidationFailedError('无法读取该 .xlsx 文件', [{ field: 'file', message: '文件已损坏或不是 Excel 工作簿' }], 'FORM_NOT_XLSX');
      }
      if (sheet.labelRow === null) {
        const expected = spec.columns.map((c) => c.label).join('、');
        throw new ValidationFailedError(`表格的列与模板不符：应为「${expected}」，实际为「${sheet.foundLabels.join('、')}」`, [{ field: 'columns', message: `应为 ${expected}` }], 'FORM_WRONG_COLUMNS');
      }
      return { header: sheet.header, rows: sheet.rows };
    });
  }

  private async submit(
    actor: Actor,
    campaignId: string,
    source: 'json' | 'xlsx',
    read: (spec: FormTemplateSpec) => Promise<{ header: Record<string, unknown>; rows: { values: Record<string, unknown>; sourceRow: number }[] }>,
  ): Promise<FormSubmissionView> {
    return this.dataSource.transaction(async (m) => {
      const campaign = await this.lockCampaign(m, campaignId, null);
      const unit = (await this.unitStates(m, campaignId)).find((u) => u.unitId === actor.unitId);
      if (!unit) {
        if (seesAll(actor)) throw new ForbiddenError('FORM_NOT_RECIPIENT', '只有被征集的单位可以报送');
        throw new NotFoundError('FORM_CAMPAIGN_NOT_FOUND', '统计表征集不存在');
      }
      if (!hasRole(actor, 'officer', 'unit_head')) throw new ForbiddenError('FORBIDDEN', '只有本单位经办人或负责人可以报送');
      if (campaign.status === 'closed') throw new IllegalStateError('FORM_CAMPAIGN_CLOSED', '征集已结束，不能再报送');
      if (unit.status === 'submitted') throw new IllegalStateError('FORM_AWAITING_REVIEW', '上次报送正在审核，退回后才能重新报送');
      if (unit.status === 'accepted') throw new IllegalStateError('FORM_ALREADY_ACCEPTED', '本单位的报送已通过审核');
      const template = await this.template(campaign.templateId, m);
      const input = await read(template);
      if (input.rows.length === 0) throw new ValidationFailedError('表中没有数据行', [{ field: 'rows', message: '至少一行' }], 'FORM_EMPTY');
      if (input.rows.length > this.config.forms.maxRows) throw new ValidationFailedError(`数据行超过上限 ${this.config.forms.maxRows}`, [{ field: 'rows', message: '过多' }], 'FORM_TOO_MANY_ROWS');
      const directory = await UnitDirectory.load(m);
      const submitterCity = directory.byId.get(actor.unitId)?.cityId ?? null;
      const checked = checkForm(template, input.header, input.rows, {
        resolve: (n, c) => directory.resolve(n, c),
        submitterCityId: submitterCity,
        crossCityExceptions: new Set(this.config.pairing.crossCityExceptions),
      });
      if (checked.problems.length > 0) throw rejected(checked.problems);
      const now = this.clock.now();
      const late = shanghaiDate(now) > campaign.dueOn;
      const [row]: { id: string }[] = await m.query(
        `insert into form_submissions (campaign_id, unit_id, task_id, revision, source, header, rows, late, submitted_at, submitted_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [campaignId, actor.unitId, unit.taskId, (unit.revision ?? 0) + 1, source, JSON.stringify(checked.header), JSON.stringify(checked.rows), late, now, actor.userId],
      );
      // The submission is the task's close-out request: reminders stop while it waits for review.
      await m.query(
        `update tasks set status = 'completion_requested', completion_requested_at = $2, version = version + 1, updated_at = now() where id = $1 and status in ('assigned', 'accepted', 'in_progress')`,
        [unit.taskId, now],
      );
      await this.audit.record(m, actor, { action: 'form_submission.submitted', entityType: FORM_SUBMISSION_ENTITY, entityId: row.id, after: { campaignId, revision: (unit.revision ?? 0) + 1, rows: checked.rows.length, late, source } });
      return this.submissionIn(m, row.id);
    });
  }

  async submission(actor: Actor, id: string): Promise<FormSubmissionView> {
    const s = await this.submissionIn(this.dataSource.manager, id);
    if (!seesAll(actor) && s.unitId !== actor.unitId) throw new NotFoundError('FORM_SUBMISSION_NOT_FOUND', '报送不存在');
    return s;
  }

  async submissions(actor: Actor, campaignId: string): Promise<FormSubmissionView[]> {
    await this.campaign(actor, campaignId);
    const ids: { id: string }[] = await this.dataSource.query(
      `select id from form_submissions where campaign_id = $1 and ($2::uuid is null or unit_id = $2) order by submitted_at, revision`,
      [campaignId, seesAll(actor) ? null : actor.unitId],
    );
    const out: FormSubmissionView[] = [];
    for (const { id } of ids) out.push(await this.submissionIn(this.dataSource.manager, id));
    return out;
  }

  async submissionIn(m: EntityManager, id: string): Promise<FormSubmissionView> {
    const rows: Record<string, unknown>[] = await m.query(`select s.*, u.short_name from form_submissions s join units u on u.id = s.unit_id where s.id = $1`, [id]);
    if (rows.length === 0) throw new NotFoundError('FORM_SUBMISSION_NOT_FOUND', '报送不存在');
    const r = rows[0];
    return {
      id,
      campaignId: r.campaign_id as string,
      unitId: r.unit_id as string,
      unitName: r.short_name as string,
      taskId: r.task_id as string,
      revision: r.revision as number,
      status: r.status as SubmissionStatus,
      source: r.source as 'json' | 'xlsx',
      header: r.header as Record<string, string>,
      rows: r.rows as CheckedRow[],
      late: r.late as boolean,
      submittedAt: new Date(r.submitted_at as string).toISOString(),
      reviewComment: (r.review_comment as string | null) ?? null,
      appliedAt: r.applied_at ? new Date(r.applied_at as string).toISOString() : null,
      version: r.version as number,
    };
  }

  /** 审核: accept (the unit's task is closed) or return with a comment (the task reopens for resubmission). */
  async review(actor: Actor, id: string, version: number, decision: 'accept' | 'return', comment: string | null): Promise<FormSubmissionView> {
    return this.dataSource.transaction(async (m) => {
      const rows: { status: string; version: number; task_id: string; campaign_id: string }[] = await m.query(
        `select status, version, task_id, campaign_id from form_submissions where id = $1 for update`,
        [id],
      );
      if (rows.length === 0) throw new NotFoundError('FORM_SUBMISSION_NOT_FOUND', '报送不存在');
      const s = rows[0];
      if (s.version !== version) throw new ConflictError('STALE_VERSION', '报送已被他人处理，请刷新后重试');
      if (s.status !== 'submitted') throw new IllegalStateError('FORM_NOT_AWAITING_REVIEW', '该报送不在待审核状态');
      if (decision === 'return' && !comment?.trim()) throw new ValidationFailedError('退回须填写意见', [{ field: 'comment', message: '必填' }]);
      const campaign = await this.lockCampaign(m, s.campaign_id, null);
      if (campaign.status === 'closed') throw new IllegalStateError('FORM_CAMPAIGN_CLOSED', '征集已结束');
      const now = this.clock.now();
      const status = decision === 'accept' ? 'accepted' : 'returned';
      await m.query(`update form_submissions set status = $2, reviewed_at = $3, reviewed_by = $4, review_comment = $5, version = version + 1, updated_at = now() where id = $1`, [
        id,
        status,
        now,
        actor.userId,
        comment,
      ]);
      if (decision === 'accept') {
        await m.query(`update tasks set status = 'closed', closed_at = $2, closed_by = $3, version = version + 1, updated_at = now() where id = $1 and status <> 'closed'`, [s.task_id, now, actor.userId]);
      } else {
        await m.query(`update tasks set status = 'in_progress', completion_note = $2, version = version + 1, updated_at = now() where id = $1 and status = 'completion_requested'`, [s.task_id, comment]);
      }
      await this.audit.record(m, actor, { action: `form_submission.${status}`, entityType: FORM_SUBMISSION_ENTITY, entityId: id, before: { status: 'submitted' }, after: { status, comment } });
      return this.submissionIn(m, id);
    });
  }

  // ---- roll-up

  /** One table from every unit's accepted submission, in registry order; who has not sent; who is pending. */
  async rollup(actor: Actor, campaignId: string): Promise<RollupView & { template: FormTemplateView; dueOn: string }> {
    if (!seesAll(actor)) throw new ForbiddenError('FORBIDDEN', '汇总表仅省级用户可见');
    const c = await this.campaign(actor, campaignId);
    const template = await this.template(c.templateId);
    const accepted: { rows: CheckedRow[] }[] = await this.dataSource.query(
      `select s.rows from form_submissions s join units u on u.id = s.unit_id where s.campaign_id = $1 and s.status = 'accepted' order by u.code`,
      [campaignId],
    );
    const labels = template.columns.map((col) => col.label);
    return {
      campaignId,
      title: template.title,
      columns: labels,
      rows: accepted.flatMap((s) => s.rows.map((r) => labels.map((l) => r.values[l] ?? ''))),
      missing: c.units.filter((u) => u.status === 'missing').map((u) => ({ unitId: u.unitId, unitName: u.unitName })),
      pending: c.units.filter((u) => u.status === 'submitted' || u.status === 'returned').map((u) => ({ unitId: u.unitId, unitName: u.unitName, status: u.status as SubmissionStatus })),
      template,
      dueOn: c.dueOn,
    };
  }

  /** The roll-up as .xlsx in the official layout; the footer lists the units that have not sent. */
  async rollupXlsx(actor: Actor, campaignId: string): Promise<{ filename: string; buffer: Buffer }> {
    const r = await this.rollup(actor, campaignId);
    const users: { display_name: string }[] = await this.dataSource.query(`select display_name from users where id = $1`, [actor.userId]);
    const bureau: { name: string }[] = await this.dataSource.query(`select name from units where id = $1`, [actor.unitId]);
    const header: Record<string, string> = {};
    for (const f of [...r.template.headerFields, ...r.template.footerFields]) header[f] = '';
    header[r.template.headerFields[0] ?? '填报单位'] = bureau[0]?.name ?? '';
    if (r.template.headerFields[1]) header[r.template.headerFields[1]] = shanghaiDate(this.clock.now());
    if (r.template.footerFields[0]) header[r.template.footerFields[0]] = users[0]?.display_name ?? '';
    const notes = [
      `未报送单位（${r.missing.length}）：${r.missing.map((u) => u.unitName).join('、') || '无'}`,
      `待审核或已退回（${r.pending.length}）：${r.pending.map((u) => u.unitName).join('、') || '无'}`,
    ];
    const buffer = await writeFormXlsx(r.template, { title: r.title, header, rows: r.rows, notes });
    return { filename: `${r.title}.xlsx`, buffer };
  }

  /** An empty form in the official layout, for units to fill in. */
  async blankXlsx(actor: Actor, campaignId: string): Promise<{ filename: string; buffer: Buffer }> {
    const c = await this.campaign(actor, campaignId);
    const template = await this.template(c.templateId);
    const header: Record<string, string> = {};
    return { filename: `${template.title}.xlsx`, buffer: await writeFormXlsx(template, { title: template.title, header, rows: [] }) };
  }
}

function seesAll(actor: Actor): boolean {
  return hasRole(actor, 'coordinator', 'admin', 'auditor');
}

function rejected(problems: CellProblem[]): ValidationFailedError {
  const rows = new Set(problems.filter((p) => p.row !== null).map((p) => p.row)).size;
  return new ValidationFailedError(`报送被拒收：${problems.length} 处错误（涉及 ${rows} 行），未保存任何内容`, toFieldProblems(problems), 'FORM_REJECTED');
}

function validateSpec(spec: FormTemplateSpec): void {
  const labels = spec.columns.map((c) => c.label);
  const problems: { field: string; message: string }[] = [];
  if (new Set(labels).size !== labels.length) problems.push({ field: 'columns', message: '列名重复' });
  spec.columns.forEach((c, i) => {
    if (c.type === 'enum' && (!c.options || c.options.length === 0)) problems.push({ field: `columns[${i}].options`, message: '枚举列须给出可选值' });
    if (c.type === 'unit' && !c.unitKind) problems.push({ field: `columns[${i}].unitKind`, message: '单位列须给出单位类型' });
    if (c.sameCityAs && !labels.includes(c.sameCityAs)) problems.push({ field: `columns[${i}].sameCityAs`, message: `没有「${c.sameCityAs}」这一列` });
  });
  for (const u of spec.uniqueBy) if (!labels.includes(u)) problems.push({ field: 'uniqueBy', message: `没有「${u}」这一列` });
  if (problems.length > 0) throw new ValidationFailedError('统计表模板无效', problems);
}

function toTemplate(r: Record<string, unknown>): FormTemplateView {
  return {
    id: r.id as string,
    title: r.title as string,
    kind: r.kind as 'generic' | 'pairing',
    columns: r.columns as FormColumn[],
    headerFields: r.header_fields as string[],
    footerFields: r.footer_fields as string[],
    uniqueBy: r.unique_by as string[],
    sourceDocumentId: (r.source_document_id as string | null) ?? null,
    version: r.version as number,
  };
}
