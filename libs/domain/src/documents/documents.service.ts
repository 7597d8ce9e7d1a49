import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addWorkingDaysFlagged, CalendarService, Clock, shanghaiDate as shanghaiDay } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { isPgError, PG_UNIQUE_VIOLATION } from '@duban/database';
import { extractText, NoMeasuresError, parseDocumentWithText, type LeadMode, type Measure, type ParsedDocument, type Target } from '@duban/policy-parser';
import { ConflictError, IllegalStateError, NotFoundError, ValidationFailedError, type FieldProblem } from '../common/domain.errors';
import type { Actor } from '../accounts/actor';
import { UnitEntity } from '../organizations/unit.entity';
import { UnitsRepository } from '../organizations/units.repository';
import { RegistryService } from '../organizations/registry.service';
import { TasksRepository, type NewTask } from '../tasks/tasks.repository';
import { AuditService } from '../audit/audit.service';
import { reportPeriods } from '../reports/report-periods';
import { assignmentKeyOf } from '../tasks/assignment-key';
import { COLLECTIVES, collectiveOf, type CollectiveKind } from './collective-units';
import type { DocumentView, MeasureView, NameView } from './document-view';
import type { DocumentEntity, DocumentSourceType } from './document.entity';
import { DocumentsRepository } from './documents.repository';
import type { MeasureUnitEntity, MeasureUnitRole } from './measure-unit.entity';
import type { MeasureEntity, ReportingCycle } from './measure.entity';

export type DocumentSource = { buffer: Buffer; filename: string; mimeType?: string } | { text: string; filename?: string };

export interface MeasurePatch {
  version: number;
  leads?: string[];
  leadMode?: LeadMode;
  cooperating?: string[];
  dueOn?: string | null;
  reportingCycle?: ReportingCycle;
  customReportDates?: string[];
  targets?: Target[];
  dispatch?: boolean;
}

export interface PublishResult {
  documentId: string;
  created: number;
  existing: number;
  total: number;
  warnings: string[];
}

const DEFAULT_CYCLE: ReportingCycle = 'quarterly';

/**
 * Document intake: parse an uploaded document into a draft, let a coordinator correct it, and
 * publish its measures as tasks. Each command is one transaction.
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentsRepository,
    private readonly units: UnitsRepository,
    private readonly registry: RegistryService,
    private readonly tasks: TasksRepository,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Parses and stores a draft. Nothing is written when the file cannot be read or has no measures. */
  async createDraft(source: DocumentSource, actor: Actor | null): Promise<DocumentView> {
    const { text, type, filename, bytes, sha256 } = await this.readSource(source);
    const { document: parsed, cleanedText } = parseDocumentWithText(text);
    if (parsed.measures.length === 0) throw new NoMeasuresError();
    const names = parsed.measures.flatMap((m) => [...m.leads, ...m.cooperating]);
    const id = await this.dataSource
      .transaction(async (manager) => {
        if (parsed.docNumber) {
          const existing = await this.documents.findByDocNumber(parsed.docNumber, manager);
          if (existing) throw this.duplicate(parsed.docNumber, existing.id);
        }
        const resolved = await this.units.resolve(names, manager);
        const doc = await this.documents.insertDocument(manager, this.documentRow(parsed, cleanedText, { type, filename, bytes, sha256 }, actor));
        const measures = await this.documents.insertMeasures(manager, parsed.measures.map((m) => this.measureRow(doc.id, m, parsed)));
        const rows = measures.flatMap((row, i) => this.nameRows(row.id, parsed.measures[i].leads, parsed.measures[i].cooperating, resolved));
        await this.documents.insertMeasureUnits(manager, rows);
        await this.audit.record(manager, actor, {
          action: 'document.imported',
          entityType: 'document',
          entityId: doc.id,
          after: { docNumber: parsed.docNumber, measures: parsed.measures.length, sha256, filename },
        });
        return doc.id;
      })
      .catch((e: unknown) => {
        if (isPgError(e, PG_UNIQUE_VIOLATION) && parsed.docNumber) throw this.duplicate(parsed.docNumber, null);
        throw e;
      });
    return this.view(id);
  }

  async view(id: string, manager: EntityManager = this.dataSource.manager): Promise<DocumentView> {
    const doc = await this.documents.findById(id, manager);
    if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
    const measures = await this.documents.measuresOf(id, manager);
    const counts = await this.collectiveCounts(manager);
    const progress = await this.measureProgress(manager, id);
    const measureViews = measures.map((m) => ({ ...toMeasureView(m, counts), progress: progress.get(m.id) ?? { tasks: 0, closed: 0, status: 'not_published' as const } }));
    const unresolved = [...new Set(measureViews.flatMap((m) => [...m.leads, ...m.cooperating]).filter((n) => n.status === 'unresolved').map((n) => n.printedName))];
    return {
      id: doc.id,
      docNumber: doc.docNumber,
      title: doc.title,
      enclosedTitle: doc.enclosedTitle,
      issuer: doc.issuer,
      issuedOn: doc.issuedOn,
      addressees: doc.addressees,
      cc: doc.cc,
      requests: doc.requests,
      sections: doc.sections,
      forms: doc.forms,
      warnings: doc.warnings,
      status: doc.status,
      sourceFilename: doc.sourceFilename,
      sourceType: doc.sourceType,
      version: doc.version,
      createdAt: doc.createdAt.toISOString(),
      publishedAt: doc.publishedAt?.toISOString() ?? null,
      measures: measureViews,
      unresolvedNames: unresolved,
      problems: publishProblems(measureViews).map((p) => p.message),
      taskCount: await this.tasks.countForDocument(manager, id),
    };
  }

  private async measureProgress(manager: EntityManager, documentId: string): Promise<Map<string, MeasureView['progress']>> {
    const rows: { measure_id: string; tasks: string; closed: string }[] = await manager.query(
      `select measure_id, count(*) as tasks, count(*) filter (where status = 'closed') as closed from tasks where document_id = $1 group by measure_id`,
      [documentId],
    );
    return new Map(
      rows.map((r) => {
        const tasks = Number(r.tasks);
        const closed = Number(r.closed);
        return [r.measure_id, { tasks, closed, status: closed === tasks ? ('closed' as const) : ('open' as const) }];
      }),
    );
  }

  /** The measure's text as printed, from the stored cleaned text (its provenance). */
  async measureText(documentId: string, no: number): Promise<{ label: string; text: string; span: { start: number; end: number } }> {
    const measure = await this.documents.measureByNo(this.dataSource.manager, documentId, no);
    const text = measure ? await this.documents.cleanedText(documentId) : null;
    if (!measure || text === null) throw new NotFoundError('MEASURE_NOT_FOUND', '举措不存在');
    return { label: measure.label, text: text.slice(measure.spanStart, measure.spanEnd), span: { start: measure.spanStart, end: measure.spanEnd } };
  }

  /** A coordinator's correction of one measure of a draft. `version` must be the one they saw. */
  async updateMeasure(documentId: string, no: number, patch: MeasurePatch, actor: Actor | null = null): Promise<DocumentView> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockDraft(manager, documentId);
      const measure = await this.documents.measureByNo(manager, documentId, no);
      if (!measure) throw new NotFoundError('MEASURE_NOT_FOUND', `第 ${no} 条举措不存在`);
      if (measure.version !== patch.version) {
        throw new ConflictError('STALE_VERSION', `该举措已被他人修改（当前版本 ${measure.version}，您提交的是 ${patch.version}），请刷新后重试`);
      }
      const leads = patch.leads ?? names(measure.units, 'lead');
      const cooperating = patch.cooperating ?? names(measure.units, 'cooperating');
      const overlap = leads.filter((n) => cooperating.includes(n));
      if (overlap.length) throw new ValidationFailedError('同一单位不能既牵头又配合', [{ field: 'cooperating', message: `重复：${overlap.join('、')}` }]);
      if (patch.leads || patch.cooperating) {
        const resolved = await this.units.resolve([...leads, ...cooperating], manager);
        await this.documents.replaceMeasureUnits(manager, measure.id, this.nameRows(measure.id, leads, cooperating, resolved));
      }
      const mode = patch.leadMode ?? measure.leadMode;
      measure.leadMode = leads.length === 0 ? null : leads.length === 1 ? 'single' : mode === 'single' || mode === null ? 'joint' : mode;
      if (patch.leadMode === 'single' && leads.length > 1) {
        throw new ValidationFailedError('多个牵头单位时，方式须为 joint（共同牵头）或 respective（分别牵头）', [{ field: 'leadMode', message: '与牵头单位数量不符' }]);
      }
      if (patch.dueOn !== undefined) measure.dueOn = patch.dueOn;
      if (patch.reportingCycle) measure.reportingCycle = patch.reportingCycle;
      if (patch.customReportDates) measure.customReportDates = [...new Set(patch.customReportDates)].sort();
      if (measure.reportingCycle === 'custom' && measure.customReportDates.length === 0) {
        throw new ValidationFailedError('自定义报送周期须给出报送日期', [{ field: 'customReportDates', message: '至少一个日期' }]);
      }
      if (patch.targets) measure.targets = patch.targets;
      if (patch.dispatch !== undefined) measure.dispatch = patch.dispatch;
      const before = { leads: names(measure.units, 'lead'), cooperating: names(measure.units, 'cooperating'), leadMode: patch.leadMode === undefined ? measure.leadMode : undefined };
      delete measure.units; // saved above; keep save() from touching the relation
      await this.documents.saveMeasure(manager, measure);
      await this.audit.record(manager, actor, {
        action: 'measure.corrected',
        entityType: 'document',
        entityId: documentId,
        before: { no, ...before },
        after: { no, leads, cooperating, leadMode: measure.leadMode, dueOn: measure.dueOn, reportingCycle: measure.reportingCycle, dispatch: measure.dispatch },
      });
      return this.view(documentId, manager);
    });
  }

  /**
   * Maps a printed name that did not resolve to a unit, in this whole document, and remembers it
   * as an alias of that unit for the next import.
   */
  async mapName(documentId: string, printedName: string, unitId: string, actor: Actor | null = null): Promise<DocumentView> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', '单位不存在');
    if (collectiveOf(printedName)) throw new ValidationFailedError(`“${printedName}”是集合名称，会自动分解到各单位，无需映射`, [{ field: 'name', message: '集合名称' }]);
    await this.registry.addUserAlias(unit.id, printedName);
    return this.dataSource.transaction(async (manager) => {
      await this.lockDraft(manager, documentId);
      const changed = await this.documents.resolvePrintedName(manager, documentId, printedName, unit.id);
      if (changed === 0) throw new NotFoundError('NAME_NOT_FOUND', `本文件中没有未解析的名称“${printedName}”`);
      await this.audit.record(manager, actor, { action: 'document.nameMapped', entityType: 'document', entityId: documentId, after: { name: printedName, unitId: unit.id, unit: unit.name } });
      return this.view(documentId, manager);
    });
  }

  /**
   * Creates the tasks of every dispatched measure in one transaction: one per lead unit for
   * `respective`, one with several lead units for `joint`; collectives fan out to their units.
   * Publishing again creates nothing new.
   */
  async publish(documentId: string, actor: Actor | null, options: { defaultDueOn?: string } = {}): Promise<PublishResult> {
    return this.dataSource.transaction(async (manager) => {
      const doc = await this.documents.lockById(manager, documentId);
      if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
      const measures = await this.documents.measuresOf(documentId, manager);
      const counts = await this.collectiveCounts(manager);
      const views = measures.map((m) => toMeasureView(m, counts));
      const problems = publishProblems(views, options.defaultDueOn);
      if (problems.length) {
        throw new ValidationFailedError(`文件还不能发布：${problems.length} 个问题需要先处理`, problems, 'DOCUMENT_NOT_PUBLISHABLE');
      }
      const members = await this.collectiveMembers(manager);
      const specs = measures.filter((m) => m.dispatch).flatMap((m) => this.taskSpecs(doc, m, members, options.defaultDueOn ?? null));
      const created = await this.tasks.insertNew(manager, specs);
      await this.scheduleTasks(manager, documentId);
      if (doc.status !== 'published') {
        doc.status = 'published';
        doc.publishedAt = this.clock.now();
        doc.publishedBy = actor?.userId ?? null;
        await this.documents.saveDocument(manager, doc);
      }
      await this.audit.record(manager, actor, { action: 'document.published', entityType: 'document', entityId: documentId, after: { created, total: specs.length } });
      const today = shanghaiDay(this.clock.now());
      const past = specs.filter((s) => s.dueOn !== null && s.dueOn < today).length;
      return {
        documentId,
        created,
        existing: specs.length - created,
        total: specs.length,
        warnings: past ? [`${past} 个任务的完成时限已早于今天，发布后即为逾期`] : [],
      };
    });
  }

  /**
   * Gives new tasks their acceptance deadline (N working days from today) and their report periods
   * (each due M working days after it ends). Idempotent: only tasks without them are touched.
   */
  private async scheduleTasks(manager: EntityManager, documentId: string): Promise<void> {
    const cal = await this.calendar.load();
    const today = shanghaiDay(this.clock.now());
    const { acceptWithinWorkingDays, reportDueWorkingDays } = this.config.workflow;
    const acceptDue = addWorkingDaysFlagged(cal, today, acceptWithinWorkingDays);
    await manager.query(
      `update tasks set accept_due_on = $2, accept_due_provisional = $3, accept_due_basis = $4, accept_due_working_days = $5 where document_id = $1 and accept_due_on is null`,
      [documentId, acceptDue.date, acceptDue.provisional, today, acceptWithinWorkingDays],
    );
    const tasks: { id: string; reporting_cycle: ReportingCycle; due_on: string | null; custom_report_dates: string[] }[] = await manager.query(
      `select t.id, t.reporting_cycle, t.due_on::text as due_on, t.custom_report_dates from tasks t
        where t.document_id = $1 and not exists (select 1 from report_periods p where p.task_id = t.id)`,
      [documentId],
    );
    const dueCache = new Map<string, { date: string; provisional: boolean }>();
    const dueAfter = (end: string): string => {
      let due = dueCache.get(end);
      if (!due) {
        due = reportDueWorkingDays === 0 ? { date: end, provisional: false } : addWorkingDaysFlagged(cal, end, reportDueWorkingDays);
        dueCache.set(end, due);
      }
      return due.date;
    };
    const rows = tasks.flatMap((t) =>
      reportPeriods(t.reporting_cycle, today, t.due_on, dueAfter, t.custom_report_dates).map((p) => ({ taskId: t.id, ...p, provisional: dueCache.get(p.endsOn)?.provisional ?? false })),
    );
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await manager.query(
        `insert into report_periods (task_id, period_key, starts_on, ends_on, due_on, due_provisional, due_working_days)
         select t, k, s, e, d, p, $7::smallint from unnest($1::uuid[], $2::varchar[], $3::date[], $4::date[], $5::date[], $6::boolean[]) as x(t, k, s, e, d, p)
         on conflict do nothing`,
        [
          chunk.map((r) => r.taskId),
          chunk.map((r) => r.periodKey),
          chunk.map((r) => r.startsOn),
          chunk.map((r) => r.endsOn),
          chunk.map((r) => r.dueOn),
          chunk.map((r) => r.provisional),
          reportDueWorkingDays,
        ],
      );
    }
  }

  async findIdByDocNumber(docNumber: string): Promise<string | null> {
    return (await this.documents.findByDocNumber(docNumber))?.id ?? null;
  }

  async deleteDraft(documentId: string, actor: Actor | null = null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const doc = await this.lockDraft(manager, documentId);
      await this.documents.deleteDocument(manager, documentId);
      await this.audit.record(manager, actor, { action: 'document.deleted', entityType: 'document', entityId: documentId, before: { docNumber: doc.docNumber, title: doc.title } });
    });
  }

  list(filter: { includeDrafts: boolean; limit: number; offset: number }): Promise<{ items: DocumentEntity[]; total: number }> {
    return this.documents.list({ statuses: filter.includeDrafts ? ['draft', 'published'] : ['published'], limit: filter.limit, offset: filter.offset });
  }

  private async lockDraft(manager: EntityManager, id: string): Promise<DocumentEntity> {
    const doc = await this.documents.lockById(manager, id);
    if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
    if (doc.status !== 'draft') throw new IllegalStateError('DOCUMENT_PUBLISHED', '文件已发布，不能再修改；任务的调整请使用改派等任务操作');
    return doc;
  }

  private duplicate(docNumber: string, id: string | null): ConflictError {
    return new ConflictError('DOCUMENT_EXISTS', `文号 ${docNumber} 的文件已导入${id ? `（编号 ${id}）` : ''}；如需重新导入，请先删除该草稿`);
  }

  private async readSource(source: DocumentSource): Promise<{ text: string; type: DocumentSourceType; filename: string | null; bytes: number; sha256: string }> {
    if ('buffer' in source) {
      const text = await extractText(source.buffer, source.filename, source.mimeType, { maxBytes: this.config.storage.uploadMaxBytes });
      const ext = extname(source.filename).toLowerCase().slice(1);
      const type: DocumentSourceType = ext === 'docx' || ext === 'pdf' ? ext : 'txt';
      return { text, type, filename: source.filename, bytes: source.buffer.length, sha256: sha256(source.buffer) };
    }
    const buffer = Buffer.from(source.text, 'utf8');
    // Same checks as a .txt upload: size, binary content, emptiness.
    const text = await extractText(buffer, source.filename ?? 'document.txt', 'text/plain', { maxBytes: this.config.storage.uploadMaxBytes });
    return { text, type: 'text', filename: source.filename ?? null, bytes: buffer.length, sha256: sha256(buffer) };
  }

  private documentRow(
    parsed: ParsedDocument,
    cleanedText: string,
    src: { type: DocumentSourceType; filename: string | null; bytes: number; sha256: string },
    actor: Actor | null,
  ): Partial<DocumentEntity> {
    return {
      docNumber: parsed.docNumber,
      title: parsed.title,
      enclosedTitle: parsed.enclosedTitle,
      issuer: parsed.issuer,
      issuedOn: parsed.issuedOn,
      addressees: parsed.addressees,
      cc: parsed.cc,
      requests: parsed.requests,
      sections: parsed.sections,
      forms: parsed.forms,
      warnings: parsed.warnings,
      parsed,
      cleanedText,
      sourceFilename: src.filename,
      sourceType: src.type,
      sourceSha256: src.sha256,
      sourceBytes: src.bytes,
      status: 'draft',
      createdBy: actor?.userId ?? null,
    };
  }

  private measureRow(documentId: string, m: Measure, parsed: ParsedDocument): Partial<MeasureEntity> {
    const dates = m.deadlines.filter((d) => d.date !== null && d.kind !== 'recurring').map((d) => d.date as string);
    return {
      documentId,
      no: m.no,
      label: m.label.slice(0, 32),
      printedNo: m.printedNo,
      sectionNo: m.section,
      sectionHeading: parsed.sections.find((s) => s.no === m.section)?.heading ?? null,
      title: m.title,
      body: m.text,
      spanStart: m.span.start,
      spanEnd: m.span.end,
      leadMode: m.leads.length === 0 ? null : (m.leadMode ?? (m.leads.length === 1 ? 'single' : 'joint')),
      deadlines: m.deadlines,
      targets: m.targets,
      places: m.places,
      // The latest printed deadline; a coordinator can change it before publishing.
      dueOn: dates.length ? dates.sort().at(-1) ?? null : null,
      reportingCycle: DEFAULT_CYCLE,
      customReportDates: [],
      dispatch: true,
    };
  }

  private nameRows(measureId: string, leads: string[], cooperating: string[], resolved: Map<string, UnitEntity | null>): Partial<MeasureUnitEntity>[] {
    const row = (role: MeasureUnitRole) => (printedName: string, position: number): Partial<MeasureUnitEntity> => {
      const unit = resolved.get(printedName) ?? null;
      return { measureId, role, position, printedName: printedName.slice(0, 128), unitId: unit?.id ?? null, collective: unit ? null : collectiveOf(printedName) };
    };
    const dedupe = (list: string[]): string[] => [...new Set(list)];
    return [...dedupe(leads).map(row('lead')), ...dedupe(cooperating).map(row('cooperating'))];
  }

  private taskSpecs(doc: DocumentEntity, m: MeasureEntity, members: Map<CollectiveKind, string[]>, defaultDueOn: string | null): NewTask[] {
    const expand = (role: MeasureUnitRole): string[] => [
      ...new Set(
        (m.units ?? [])
          .filter((u) => u.role === role)
          .flatMap((u) => (u.unitId ? [u.unitId] : u.collective ? (members.get(u.collective) ?? []) : [])),
      ),
    ];
    const leads = expand('lead');
    const cooperating = expand('cooperating');
    const groups = m.leadMode === 'joint' ? [leads] : leads.map((l) => [l]);
    return groups.map((group) => ({
      documentId: doc.id,
      measureId: m.id,
      assignmentKey: assignmentKeyOf(group),
      title: `${m.label}${m.title}`,
      dueOn: m.dueOn ?? defaultDueOn,
      reportingCycle: m.reportingCycle,
      customReportDates: m.customReportDates,
      targets: m.targets,
      leads: group,
      cooperating: cooperating.filter((c) => !group.includes(c)),
    }));
  }

  private async collectiveMembers(manager: EntityManager): Promise<Map<CollectiveKind, string[]>> {
    const all = await manager.find(UnitEntity, { where: { active: true }, select: { id: true, kind: true, keyAssisted: true }, order: { adminCode: 'ASC', code: 'ASC' } });
    const out = new Map<CollectiveKind, string[]>();
    for (const [kind, def] of Object.entries(COLLECTIVES) as [CollectiveKind, (typeof COLLECTIVES)[CollectiveKind]][]) {
      out.set(kind, all.filter((u) => u.kind === def.kind && (!def.keyAssistedOnly || u.keyAssisted)).map((u) => u.id));
    }
    return out;
  }

  private async collectiveCounts(manager: EntityManager): Promise<Map<CollectiveKind, number>> {
    const members = await this.collectiveMembers(manager);
    return new Map([...members].map(([k, v]) => [k, v.length]));
  }
}

function names(units: MeasureUnitEntity[] | undefined, role: MeasureUnitRole): string[] {
  return (units ?? []).filter((u) => u.role === role).sort((a, b) => a.position - b.position).map((u) => u.printedName);
}

function nameView(u: MeasureUnitEntity, counts: Map<CollectiveKind, number>): NameView {
  if (u.unit) {
    const { id, code, name, shortName, kind } = u.unit;
    return { printedName: u.printedName, status: 'resolved', unit: { id, code, name, shortName, kind }, collective: null };
  }
  if (u.collective) {
    return {
      printedName: u.printedName,
      status: 'collective',
      unit: null,
      collective: { kind: u.collective, label: COLLECTIVES[u.collective].label, count: counts.get(u.collective) ?? 0 },
    };
  }
  return { printedName: u.printedName, status: 'unresolved', unit: null, collective: null };
}

function toMeasureView(m: MeasureEntity, counts: Map<CollectiveKind, number>): Omit<MeasureView, 'progress'> {
  const units = [...(m.units ?? [])].sort((a, b) => a.position - b.position);
  return {
    id: m.id,
    no: m.no,
    label: m.label,
    printedNo: m.printedNo,
    sectionNo: m.sectionNo,
    sectionHeading: m.sectionHeading,
    title: m.title,
    text: m.body,
    span: { start: m.spanStart, end: m.spanEnd },
    leadMode: m.leadMode,
    leads: units.filter((u) => u.role === 'lead').map((u) => nameView(u, counts)),
    cooperating: units.filter((u) => u.role === 'cooperating').map((u) => nameView(u, counts)),
    deadlines: m.deadlines,
    targets: m.targets,
    places: m.places,
    dueOn: m.dueOn,
    reportingCycle: m.reportingCycle,
    customReportDates: m.customReportDates,
    dispatch: m.dispatch,
    version: m.version,
  };
}

/** Why measures cannot be published, one entry per measure and problem. */
function publishProblems(measures: Omit<MeasureView, 'progress'>[], defaultDueOn?: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const m of measures.filter((x) => x.dispatch)) {
    const field = `measures.${m.no}`;
    if (m.leads.length === 0) problems.push({ field, message: `${m.label}${m.title}：没有牵头单位（请指定牵头单位，或标记为不交办）` });
    const unresolved = [...m.leads, ...m.cooperating].filter((n) => n.status === 'unresolved').map((n) => n.printedName);
    if (unresolved.length) problems.push({ field, message: `${m.label}：以下单位名称未对应到注册表中的单位：${unresolved.join('、')}` });
    const empty = [...m.leads].filter((n) => n.status === 'collective' && n.collective?.count === 0).map((n) => n.printedName);
    if (empty.length) problems.push({ field, message: `${m.label}：集合名称没有对应的单位：${empty.join('、')}` });
    if (!m.dueOn && !defaultDueOn) problems.push({ field, message: `${m.label}：没有完成时限（请设置，或在发布时给出默认时限）` });
  }
  return problems;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

