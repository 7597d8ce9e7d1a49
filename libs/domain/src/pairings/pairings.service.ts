import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, addCalendarDays, shanghaiDate } from '@duban/calendar';
import { APP_CONFIG, type AppConfig } from '@duban/config';
import { hasRole, type Actor } from '../accounts/actor';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, ValidationFailedError } from '../common/domain.errors';
import { columnOf } from '../forms/form-template';
import { isPhone } from '../forms/form-validation';
import { FormsService, type CampaignView, type FormSubmissionView } from '../forms/forms.service';
import { UnitDirectory } from '../forms/unit-directory';
import { addTotals, checkMetrics, pairingModes, WORK_AREAS, type PairingMode, type WorkArea, type WorkTotals } from './pairing-mode';

export interface PairingInput {
  assistedId: string;
  helperId: string;
  responsiblePerson: string;
  responsibleTitle: string;
  contactPhone: string;
  remarks?: string;
  startsOn: string;
  endsOn?: string | null;
}

export interface PairingView {
  id: string;
  cityId: string;
  cityName: string;
  assistedId: string;
  assistedName: string;
  helperId: string;
  helperName: string;
  responsiblePerson: string;
  responsibleTitle: string;
  contactPhone: string;
  remarks: string;
  startsOn: string;
  endsOn: string | null;
  /** Current today (started, not ended). */
  current: boolean;
  mode: PairingMode | null;
  version: number;
}

export interface CoverageView {
  /** Key assisted counties the province should have (config). */
  expectedTotal: number;
  /** Counties flagged key assisted in the registry. */
  flagged: number;
  /** expectedTotal - flagged: counties the registry does not name yet, so coverage cannot judge them. */
  unknown: number;
  covered: number;
  uncovered: number;
  cities: { cityId: string; cityName: string; counties: { countyId: string; countyName: string; helpers: string[] }[]; uncovered: string[] }[];
}

export interface PairingDiffRow {
  assistedName: string;
  helperName: string;
  action: 'add' | 'change' | 'end' | 'unchanged';
  pairingId: string | null;
  /** Field -> [current, from the form] for `change`. */
  changes: Record<string, [string, string]>;
}

export interface PairingDiff {
  submissionId: string;
  cityName: string;
  /** Pass back to apply: the city's pairings must not change between preview and apply. */
  registryVersion: string;
  rows: PairingDiffRow[];
}

export interface WorkRecordInput {
  area: WorkArea;
  occurredOn: string;
  metrics?: Record<string, number>;
  note?: string;
}

export interface WorkSummary {
  year: number;
  province: WorkTotals;
  cities: { cityId: string; cityName: string; totals: WorkTotals }[];
  pairings: { pairingId: string; cityName: string; assistedName: string; helperName: string; totals: WorkTotals; visited: boolean }[];
}

export const ASSESSMENT_GRADES = ['优秀', '良好', '一般', '较差'] as const;

const FIELDS: [keyof PairingInput, string][] = [
  ['responsiblePerson', 'responsible_person'],
  ['responsibleTitle', 'responsible_title'],
  ['contactPhone', 'contact_phone'],
  ['remarks', 'remarks'],
];

/**
 * 县际结对帮扶: the pairing registry (city bureaus on their own city, coordinators everywhere),
 * coverage of the key assisted counties, work records and their roll-ups, annual assessments, the
 * leaders' annual mutual visit as a task per pairing, and updates from accepted pairing forms.
 */
@Injectable()
export class PairingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly forms: FormsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private today(): string {
    return shanghaiDate(this.clock.now());
  }

  // ---- registry

  async list(actor: Actor, filter: { cityId?: string; current?: boolean } = {}): Promise<PairingView[]> {
    const scope = scopeSql(actor, 1);
    const params: unknown[] = [...scope.params];
    let where = scope.sql;
    if (filter.cityId) {
      params.push(filter.cityId);
      where += ` and p.city_id = $${params.length}`;
    }
    const rows = await this.select(this.dataSource.manager, where, params);
    return filter.current ? rows.filter((p) => p.current) : rows;
  }

  async get(actor: Actor, id: string, m: EntityManager = this.dataSource.manager): Promise<PairingView> {
    const scope = scopeSql(actor, 2);
    const rows = await this.select(m, `p.id = $1 and ${scope.sql}`, [id, ...scope.params]);
    if (rows.length === 0) throw new NotFoundError('PAIRING_NOT_FOUND', '结对关系不存在');
    return rows[0];
  }

  /** Pairings matching `where` (alias p), with names and each current pairing's mode within its city. */
  private async select(m: EntityManager, where: string, params: unknown[]): Promise<PairingView[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `select p.*, p.starts_on::text as starts, p.ends_on::text as ends, c.short_name as city_name, a.short_name as assisted_name, h.short_name as helper_name
         from pairings p join units c on c.id = p.city_id join units a on a.id = p.assisted_id join units h on h.id = p.helper_id
        where ${where} order by c.code, a.code, h.code`,
      params,
    );
    const today = this.today();
    const cities = [...new Set(rows.map((r) => r.city_id as string))];
    const all: { id: string; assisted_id: string; helper_id: string }[] =
      cities.length === 0
        ? []
        : await m.query(`select id, assisted_id, helper_id from pairings where city_id = any($1::uuid[]) and starts_on <= $2 and (ends_on is null or ends_on >= $2)`, [cities, today]);
    const modes = pairingModes(all.map((p) => ({ id: p.id, assistedId: p.assisted_id, helperId: p.helper_id })));
    return rows.map((r) => {
      const current = (r.starts as string) <= today && (r.ends === null || (r.ends as string) >= today);
      return {
        id: r.id as string,
        cityId: r.city_id as string,
        cityName: r.city_name as string,
        assistedId: r.assisted_id as string,
        assistedName: r.assisted_name as string,
        helperId: r.helper_id as string,
        helperName: r.helper_name as string,
        responsiblePerson: r.responsible_person as string,
        responsibleTitle: r.responsible_title as string,
        contactPhone: r.contact_phone as string,
        remarks: r.remarks as string,
        startsOn: r.starts as string,
        endsOn: (r.ends as string | null) ?? null,
        current,
        mode: current ? (modes.get(r.id as string) ?? null) : null,
        version: r.version as number,
      };
    });
  }

  async create(actor: Actor, input: PairingInput): Promise<PairingView> {
    return this.dataSource.transaction(async (m) => {
      const dir = await UnitDirectory.load(m);
      const { cityId } = this.checkInput(actor, dir, input);
      const dup: { id: string }[] = await m.query(`select id from pairings where assisted_id = $1 and helper_id = $2`, [input.assistedId, input.helperId]);
      if (dup.length > 0) throw new ConflictError('PAIRING_EXISTS', '这两个县已经结对', [{ field: 'helperId', message: '已存在' }]);
      const [row]: { id: string }[] = await m.query(
        `insert into pairings (city_id, assisted_id, helper_id, responsible_person, responsible_title, contact_phone, remarks, starts_on, ends_on, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [cityId, input.assistedId, input.helperId, input.responsiblePerson.trim(), input.responsibleTitle.trim(), input.contactPhone.trim(), input.remarks?.trim() ?? '', input.startsOn, input.endsOn ?? null, actor.userId],
      );
      await this.audit.record(m, actor, { action: 'pairing.created', entityType: 'pairing', entityId: row.id, after: input });
      return this.get(actor, row.id, m);
    });
  }

  async update(actor: Actor, id: string, version: number, patch: Partial<PairingInput>): Promise<PairingView> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.lock(actor, m, id, version);
      const merged: PairingInput = {
        assistedId: before.assistedId,
        helperId: patch.helperId ?? before.helperId,
        responsiblePerson: patch.responsiblePerson ?? before.responsiblePerson,
        responsibleTitle: patch.responsibleTitle ?? before.responsibleTitle,
        contactPhone: patch.contactPhone ?? before.contactPhone,
        remarks: patch.remarks ?? before.remarks,
        startsOn: patch.startsOn ?? before.startsOn,
        endsOn: patch.endsOn === undefined ? before.endsOn : patch.endsOn,
      };
      if (patch.assistedId && patch.assistedId !== before.assistedId) throw new ValidationFailedError('不能更改被帮扶县，请删除后新建', [{ field: 'assistedId', message: '不可更改' }]);
      this.checkInput(actor, await UnitDirectory.load(m), merged);
      if (merged.helperId !== before.helperId) {
        const dup: { id: string }[] = await m.query(`select id from pairings where assisted_id = $1 and helper_id = $2`, [merged.assistedId, merged.helperId]);
        if (dup.length > 0) throw new ConflictError('PAIRING_EXISTS', '这两个县已经结对', [{ field: 'helperId', message: '已存在' }]);
      }
      await m.query(
        `update pairings set helper_id = $2, responsible_person = $3, responsible_title = $4, contact_phone = $5, remarks = $6, starts_on = $7, ends_on = $8, version = version + 1, updated_at = now() where id = $1`,
        [id, merged.helperId, merged.responsiblePerson.trim(), merged.responsibleTitle.trim(), merged.contactPhone.trim(), merged.remarks?.trim() ?? '', merged.startsOn, merged.endsOn ?? null],
      );
      await this.audit.record(m, actor, { action: 'pairing.updated', entityType: 'pairing', entityId: id, before, after: merged });
      return this.get(actor, id, m);
    });
  }

  async remove(actor: Actor, id: string, version: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.lock(actor, m, id, version);
      await m.query(`delete from pairings where id = $1`, [id]);
      await this.audit.record(m, actor, { action: 'pairing.deleted', entityType: 'pairing', entityId: id, before });
    });
  }

  /** The pairing, locked, if the actor may change it (404 outside their scope, 403 when they may only read it). */
  private async lock(actor: Actor, m: EntityManager, id: string, version: number): Promise<PairingView> {
    const p = await this.get(actor, id, m);
    const rows: { version: number }[] = await m.query(`select version from pairings where id = $1 for update`, [id]);
    if (!mayManage(actor, p.cityId)) throw new ForbiddenError('FORBIDDEN', '只有本市乡村振兴局或省局协调人可以维护结对关系');
    if (rows[0].version !== version) throw new ConflictError('STALE_VERSION', '结对关系已被他人修改，请刷新后重试');
    return p;
  }

  private checkInput(actor: Actor, dir: UnitDirectory, input: PairingInput): { cityId: string } {
    const assisted = dir.byId.get(input.assistedId);
    const helper = dir.byId.get(input.helperId);
    const problems: { field: string; message: string }[] = [];
    if (!assisted || assisted.kind !== 'county') problems.push({ field: 'assistedId', message: '不是县（市、区）' });
    else if (!assisted.keyAssisted) problems.push({ field: 'assistedId', message: `${assisted.shortName}不是重点帮扶县` });
    if (!helper || helper.kind !== 'county') problems.push({ field: 'helperId', message: '不是县（市、区）' });
    else if (assisted && helper.id === assisted.id) problems.push({ field: 'helperId', message: '不能与被帮扶县相同' });
    else if (assisted && helper.cityId !== assisted.cityId && !this.config.pairing.crossCityExceptions.includes(`${helper.code}>${assisted.code}`)) {
      problems.push({ field: 'helperId', message: `${helper.shortName}与${assisted.shortName}不在同一市` });
    }
    if (!isPhone(input.contactPhone)) problems.push({ field: 'contactPhone', message: `「${input.contactPhone}」不是有效的电话号码` });
    for (const f of ['responsiblePerson', 'responsibleTitle'] as const) if (!input[f]?.trim()) problems.push({ field: f, message: '必填' });
    if (input.endsOn && input.endsOn < input.startsOn) problems.push({ field: 'endsOn', message: '结束日期早于开始日期' });
    if (problems.length > 0 || !assisted) throw new ValidationFailedError('结对关系无效', problems, 'PAIRING_INVALID');
    const cityId = assisted.cityId as string;
    if (!mayManage(actor, cityId)) throw new ForbiddenError('FORBIDDEN', '只有本市乡村振兴局或省局协调人可以维护结对关系');
    return { cityId };
  }

  // ---- coverage

  /** Key assisted counties by city with their current helpers; the uncovered ones named. */
  async coverage(actor: Actor, m: EntityManager = this.dataSource.manager): Promise<CoverageView> {
    const ownCity = seesAll(actor) ? null : isCityUser(actor) ? actor.cityId : undefined;
    if (ownCity === undefined) throw new ForbiddenError('FORBIDDEN', '覆盖情况仅省局和市乡村振兴局可见');
    const today = this.today();
    const rows: Record<string, unknown>[] = await m.query(
      `select c.id as city_id, c.short_name as city_name, k.id as county_id, k.short_name as county_name,
              array(select h.short_name from pairings p join units h on h.id = p.helper_id
                     where p.assisted_id = k.id and p.starts_on <= $1 and (p.ends_on is null or p.ends_on >= $1) order by h.code) as helpers
         from units k join units c on c.id = k.parent_id
        where k.kind = 'county' and k.key_assisted and k.active and ($2::uuid is null or c.id = $2)
        order by c.code, k.code`,
      [today, ownCity],
    );
    const flaggedAll: { n: string }[] = await m.query(`select count(*) as n from units where kind = 'county' and key_assisted and active`);
    const flagged = Number(flaggedAll[0].n);
    const cities = new Map<string, CoverageView['cities'][number]>();
    for (const r of rows) {
      const city = cities.get(r.city_id as string) ?? { cityId: r.city_id as string, cityName: r.city_name as string, counties: [], uncovered: [] };
      cities.set(city.cityId, city);
      const helpers = r.helpers as string[];
      city.counties.push({ countyId: r.county_id as string, countyName: r.county_name as string, helpers });
      if (helpers.length === 0) city.uncovered.push(r.county_name as string);
    }
    const list = [...cities.values()];
    const uncovered = list.reduce((n, c) => n + c.uncovered.length, 0);
    return {
      expectedTotal: this.config.pairing.keyAssistedTotal,
      flagged,
      unknown: Math.max(0, this.config.pairing.keyAssistedTotal - flagged),
      covered: rows.length - uncovered,
      uncovered,
      cities: list,
    };
  }

  /** Closes a form campaign; a pairing campaign only when every flagged key assisted county has a helper. */
  closeCampaign(actor: Actor, campaignId: string, version: number): Promise<CampaignView> {
    return this.forms.close(actor, campaignId, version, async (m, kind) => {
      if (kind !== 'pairing') return;
      const cov = await this.coverage(actor, m);
      if (cov.uncovered > 0) {
        const names = cov.cities.filter((c) => c.uncovered.length > 0).map((c) => `${c.cityName}：${c.uncovered.join('、')}`);
        throw new ConflictError(
          'PAIRING_COVERAGE_INCOMPLETE',
          `还有 ${cov.uncovered} 个重点帮扶县没有结对帮扶县，不能结束征集（${names.join('；')}）`,
          cov.cities.filter((c) => c.uncovered.length > 0).map((c) => ({ field: c.cityName, message: c.uncovered.join('、') })),
        );
      }
    });
  }

  // ---- accepted pairing forms -> registry

  /** What applying an accepted pairing form would change in its city's registry. */
  async diff(actor: Actor, submissionId: string, m: EntityManager = this.dataSource.manager): Promise<PairingDiff> {
    if (!hasRole(actor, 'coordinator')) throw new ForbiddenError('FORBIDDEN', '只有省局协调人可以把统计表更新到结对登记');
    const s = await this.forms.submissionIn(m, submissionId);
    const campaign = await this.forms.campaign(actor, s.campaignId, m);
    const template = await this.forms.template(campaign.templateId, m);
    if (campaign.kind !== 'pairing') throw new IllegalStateError('FORM_NOT_PAIRING', '这不是结对帮扶统计表');
    if (s.status !== 'accepted') throw new IllegalStateError('FORM_NOT_ACCEPTED', '只有审核通过的报送才能更新结对登记');
    const dir = await UnitDirectory.load(m);
    const cityId = dir.byId.get(s.unitId)?.cityId;
    if (!cityId) throw new IllegalStateError('FORM_NOT_CITY', '报送单位不属于任何市');
    const col = (role: 'assisted' | 'helper' | 'person' | 'title' | 'phone' | 'remarks'): string => columnOf(template, role) ?? '';
    const existing: Record<string, unknown>[] = await m.query(`select *, ends_on::text as ends from pairings where city_id = $1 order by id`, [cityId]);
    const registryVersion = createHash('sha256')
      .update(existing.map((p) => `${p.id as string}:${p.version as number}`).join(','))
      .digest('hex');
    const today = this.today();
    const byPair = new Map(existing.map((p) => [`${p.assisted_id as string}/${p.helper_id as string}`, p]));
    const name = (id: string): string => dir.byId.get(id)?.shortName ?? id;
    const rows: PairingDiffRow[] = [];
    const seen = new Set<string>();
    for (const r of s.rows) {
      const key = `${r.units[col('assisted')]}/${r.units[col('helper')]}`;
      seen.add(key);
      const p = byPair.get(key);
      const wanted: Record<string, string> = {
        responsible_person: r.values[col('person')] ?? '',
        responsible_title: r.values[col('title')] ?? '',
        contact_phone: r.values[col('phone')] ?? '',
        remarks: r.values[col('remarks')] ?? '',
      };
      const base = { assistedName: name(r.units[col('assisted')]), helperName: name(r.units[col('helper')]) };
      if (!p) {
        rows.push({ ...base, action: 'add', pairingId: null, changes: Object.fromEntries(Object.entries(wanted).map(([k, v]) => [fieldName(k), ['', v]])) });
        continue;
      }
      const changes: Record<string, [string, string]> = {};
      for (const [, column] of FIELDS) if ((p[column] as string) !== wanted[column]) changes[fieldName(column)] = [p[column] as string, wanted[column]];
      if (p.ends !== null && (p.ends as string) < today) changes.endsOn = [p.ends as string, ''];
      rows.push({ ...base, action: Object.keys(changes).length > 0 ? 'change' : 'unchanged', pairingId: p.id as string, changes });
    }
    for (const p of existing) {
      const ended = p.ends !== null && (p.ends as string) < today;
      if (ended || seen.has(`${p.assisted_id as string}/${p.helper_id as string}`)) continue;
      rows.push({ assistedName: name(p.assisted_id as string), helperName: name(p.helper_id as string), action: 'end', pairingId: p.id as string, changes: { endsOn: [(p.ends as string | null) ?? '', addCalendarDays(today, -1)] } });
    }
    return { submissionId, cityName: name(cityId), registryVersion, rows };
  }

  /** Applies the diff previewed with `registryVersion`; 409 when the city's pairings changed since. */
  async apply(actor: Actor, submissionId: string, registryVersion: string): Promise<PairingDiff> {
    return this.dataSource.transaction(async (m) => {
      const s0: { unit_id: string; applied_at: Date | null }[] = await m.query(`select unit_id, applied_at from form_submissions where id = $1 for update`, [submissionId]);
      if (s0.length === 0) throw new NotFoundError('FORM_SUBMISSION_NOT_FOUND', '报送不存在');
      if (s0[0].applied_at) throw new IllegalStateError('FORM_ALREADY_APPLIED', '该报送已更新到结对登记');
      const city: { parent_id: string }[] = await m.query(`select parent_id from units where id = $1`, [s0[0].unit_id]);
      await m.query(`select id from pairings where city_id = $1 for update`, [city[0]?.parent_id]);
      const d = await this.diff(actor, submissionId, m);
      if (d.registryVersion !== registryVersion) throw new ConflictError('STALE_VERSION', '结对登记在预览后已有变化，请重新预览');
      const s = await this.forms.submissionIn(m, submissionId);
      const template = await this.forms.template((await this.forms.campaign(actor, s.campaignId, m)).templateId, m);
      const col = (role: 'city' | 'assisted' | 'helper' | 'person' | 'title' | 'phone' | 'remarks'): string => columnOf(template, role) ?? '';
      const today = this.today();
      for (const r of s.rows) {
        await m.query(
          `insert into pairings (city_id, assisted_id, helper_id, responsible_person, responsible_title, contact_phone, remarks, starts_on, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           on conflict (assisted_id, helper_id) do update set responsible_person = excluded.responsible_person, responsible_title = excluded.responsible_title,
             contact_phone = excluded.contact_phone, remarks = excluded.remarks,
             ends_on = case when pairings.ends_on < $8 then null else pairings.ends_on end,
             version = pairings.version + 1, updated_at = now()
           where (pairings.responsible_person, pairings.responsible_title, pairings.contact_phone, pairings.remarks) is distinct from
                 (excluded.responsible_person, excluded.responsible_title, excluded.contact_phone, excluded.remarks) or pairings.ends_on < $8`,
          [r.units[col('city')], r.units[col('assisted')], r.units[col('helper')], r.values[col('person')] ?? '', r.values[col('title')] ?? '', r.values[col('phone')] ?? '', r.values[col('remarks')] ?? '', today, actor.userId],
        );
      }
      const ended = d.rows.filter((r) => r.action === 'end').map((r) => r.pairingId as string);
      if (ended.length > 0) {
        await m.query(`update pairings set ends_on = greatest(starts_on, $2::date), version = version + 1, updated_at = now() where id = any($1::uuid[])`, [ended, addCalendarDays(today, -1)]);
      }
      await m.query(`update form_submissions set applied_at = $2, version = version + 1 where id = $1`, [submissionId, this.clock.now()]);
      await this.audit.record(m, actor, { action: 'pairing.registry_updated', entityType: 'form_submission', entityId: submissionId, after: { rows: d.rows.filter((r) => r.action !== 'unchanged') } });
      return d;
    });
  }

  // ---- work records, summaries, visits, assessments

  async addWorkRecord(actor: Actor, pairingId: string, input: WorkRecordInput): Promise<{ id: string; year: number }> {
    return this.dataSource.transaction(async (m) => {
      const p = await this.get(actor, pairingId, m);
      if (!mayRecord(actor, p)) throw new ForbiddenError('FORBIDDEN', '只有结对双方、本市乡村振兴局或省局协调人可以登记帮扶工作');
      if (!(input.area in WORK_AREAS)) throw new ValidationFailedError('未知的工作类别', [{ field: 'area', message: Object.keys(WORK_AREAS).join('、') }]);
      const problems = checkMetrics(input.area, input.metrics ?? {});
      if (problems.length > 0) throw new ValidationFailedError('指标无效', problems);
      if (input.occurredOn > this.today()) throw new ValidationFailedError('不能登记将来的工作', [{ field: 'occurredOn', message: '晚于今天' }]);
      const year = Number(input.occurredOn.slice(0, 4));
      const [row]: { id: string }[] = await m.query(
        `insert into pairing_work_records (pairing_id, year, area, occurred_on, metrics, note, created_by) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [pairingId, year, input.area, input.occurredOn, JSON.stringify(input.metrics ?? {}), input.note ?? '', actor.userId],
      );
      if (input.area === 'visit') {
        // The year's mutual visit is done: its obligation (a task) closes, so reminders and 督办 stop.
        await m.query(
          `update tasks set status = 'closed', closed_at = $3, closed_by = $4, version = version + 1, updated_at = now() where origin = 'visit' and assignment_key = $1 and pairing_id = $2 and status <> 'closed'`,
          [visitKey(year, pairingId), pairingId, this.clock.now(), actor.userId],
        );
      }
      await this.audit.record(m, actor, { action: 'pairing.work_recorded', entityType: 'pairing', entityId: pairingId, after: { recordId: row.id, ...input } });
      return { id: row.id, year };
    });
  }

  async workRecords(actor: Actor, pairingId: string): Promise<{ id: string; area: WorkArea; year: number; occurredOn: string; metrics: Record<string, number>; note: string }[]> {
    await this.get(actor, pairingId);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select id, area, year, occurred_on::text as on, metrics, note from pairing_work_records where pairing_id = $1 order by occurred_on, created_at`,
      [pairingId],
    );
    return rows.map((r) => ({ id: r.id as string, area: r.area as WorkArea, year: r.year as number, occurredOn: r.on as string, metrics: r.metrics as Record<string, number>, note: r.note as string }));
  }

  /** A year's work per pairing, rolled up per city and for the province, within the actor's scope. */
  async summary(actor: Actor, year: number): Promise<WorkSummary> {
    const pairings = await this.list(actor);
    const ids = pairings.map((p) => p.id);
    const records: { pairing_id: string; area: WorkArea; metrics: Record<string, number> }[] =
      ids.length === 0 ? [] : await this.dataSource.query(`select pairing_id, area, metrics from pairing_work_records where year = $1 and pairing_id = any($2::uuid[])`, [year, ids]);
    const per = new Map<string, WorkTotals>(ids.map((id) => [id, {}]));
    const province: WorkTotals = {};
    const cities = new Map<string, { cityId: string; cityName: string; totals: WorkTotals }>();
    const byId = new Map(pairings.map((p) => [p.id, p]));
    for (const r of records) {
      const p = byId.get(r.pairing_id) as PairingView;
      const city = cities.get(p.cityId) ?? { cityId: p.cityId, cityName: p.cityName, totals: {} };
      cities.set(p.cityId, city);
      for (const into of [per.get(r.pairing_id) as WorkTotals, city.totals, province]) addTotals(into, r.area, r.metrics);
    }
    return {
      year,
      province,
      cities: [...cities.values()],
      pairings: pairings.map((p) => {
        const totals = per.get(p.id) as WorkTotals;
        return { pairingId: p.id, cityName: p.cityName, assistedName: p.assistedName, helperName: p.helperName, totals, visited: (totals.visits ?? 0) > 0 };
      }),
    };
  }

  /**
   * The year's 主要领导互访 obligation: one task per current pairing, led by both counties, due on
   * `dueOn`. The reminder sweep chases it like any task; recording a visit closes it. Idempotent.
   */
  async issueVisitObligations(actor: Actor, input: { year: number; documentId: string; dueOn?: string }): Promise<{ created: number; existing: number }> {
    return this.dataSource.transaction(async (m) => {
      const docs: { status: string }[] = await m.query(`select status from documents where id = $1`, [input.documentId]);
      if (docs.length === 0) throw new NotFoundError('DOCUMENT_NOT_FOUND', '文件不存在');
      if (docs[0].status !== 'published') throw new IllegalStateError('DOCUMENT_NOT_PUBLISHED', '文件尚未发布');
      const dueOn = input.dueOn ?? `${input.year}-12-31`;
      if (!dueOn.startsWith(String(input.year))) throw new ValidationFailedError('到期日须在该年度内', [{ field: 'dueOn', message: `应在 ${input.year} 年` }]);
      const start = `${input.year}-01-01`;
      const end = `${input.year}-12-31`;
      const pairings: { id: string; assisted_id: string; helper_id: string; a: string; h: string }[] = await m.query(
        `select p.id, p.assisted_id, p.helper_id, a.short_name as a, h.short_name as h from pairings p join units a on a.id = p.assisted_id join units h on h.id = p.helper_id
          where p.starts_on <= $2 and (p.ends_on is null or p.ends_on >= $1) order by p.id`,
        [start, end],
      );
      if (pairings.length === 0) return { created: 0, existing: 0 };
      const created: { id: string; pairing_id: string }[] = await m.query(
        `insert into tasks (document_id, measure_id, origin, pairing_id, assignment_key, title, due_on, reporting_cycle, targets)
         select $1, null, 'visit', p, k, t, $2, 'none', '[]'::jsonb from unnest($3::uuid[], $4::char(64)[], $5::text[]) as x(p, k, t)
         on conflict (assignment_key) where origin = 'visit' do nothing returning id, pairing_id`,
        [input.documentId, dueOn, pairings.map((p) => p.id), pairings.map((p) => visitKey(input.year, p.id)), pairings.map((p) => `${input.year}年度结对帮扶主要领导互访：${p.h}—${p.a}`)],
      );
      const byPairing = new Map(pairings.map((p) => [p.id, p]));
      if (created.length > 0) {
        await m.query(`insert into task_units (task_id, unit_id, role) select t, u, 'lead' from unnest($1::uuid[], $2::uuid[]) as x(t, u) on conflict do nothing`, [
          created.flatMap((c) => [c.id, c.id]),
          created.flatMap((c) => {
            const p = byPairing.get(c.pairing_id) as { assisted_id: string; helper_id: string };
            return [p.assisted_id, p.helper_id];
          }),
        ]);
      }
      await this.audit.record(m, actor, { action: 'pairing.visits_issued', entityType: 'document', entityId: input.documentId, after: { year: input.year, dueOn, created: created.length } });
      return { created: created.length, existing: pairings.length - created.length };
    });
  }

  /** 考核: the city bureau grades each pairing once a year; the audited event reports it to the provincial bureau. */
  async assess(actor: Actor, pairingId: string, input: { year: number; grade: (typeof ASSESSMENT_GRADES)[number]; score?: number; comment?: string }): Promise<AssessmentView> {
    return this.dataSource.transaction(async (m) => {
      const p = await this.get(actor, pairingId, m);
      if (!(isCityUser(actor) && actor.cityId === p.cityId && hasRole(actor, 'officer', 'unit_head'))) throw new ForbiddenError('FORBIDDEN', '结对帮扶考核由本市乡村振兴局组织实施');
      if (input.year > Number(this.today().slice(0, 4))) throw new ValidationFailedError('不能考核将来的年度', [{ field: 'year', message: '晚于今年' }]);
      const rows: { id: string }[] = await m.query(
        `insert into pairing_assessments (pairing_id, year, grade, score, comment, assessed_by, assessed_at) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (pairing_id, year) do nothing returning id`,
        [pairingId, input.year, input.grade, input.score ?? null, input.comment ?? '', actor.userId, this.clock.now()],
      );
      if (rows.length === 0) throw new ConflictError('ASSESSMENT_EXISTS', `${input.year} 年度已考核`);
      await this.audit.record(m, actor, { action: 'pairing.assessed', entityType: 'pairing', entityId: pairingId, after: input });
      return (await this.assessments(actor, input.year, m)).find((a) => a.id === rows[0].id) as AssessmentView;
    });
  }

  async assessments(actor: Actor, year: number, m: EntityManager = this.dataSource.manager): Promise<AssessmentView[]> {
    if (!seesAll(actor) && !isCityUser(actor)) throw new ForbiddenError('FORBIDDEN', '考核结果仅省局和市乡村振兴局可见');
    const rows: Record<string, unknown>[] = await m.query(
      `select s.id, s.pairing_id, s.year, s.grade, s.score, s.comment, s.assessed_at, c.short_name as city, a.short_name as assisted, h.short_name as helper
         from pairing_assessments s join pairings p on p.id = s.pairing_id join units c on c.id = p.city_id join units a on a.id = p.assisted_id join units h on h.id = p.helper_id
        where s.year = $1 and ($2::uuid is null or p.city_id = $2) order by c.code, a.code, h.code`,
      [year, seesAll(actor) ? null : actor.cityId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      pairingId: r.pairing_id as string,
      year: r.year as number,
      grade: r.grade as string,
      score: r.score === null ? null : Number(r.score),
      comment: r.comment as string,
      cityName: r.city as string,
      assistedName: r.assisted as string,
      helperName: r.helper as string,
      assessedAt: new Date(r.assessed_at as string).toISOString(),
    }));
  }

  /** Convenience for scripts: the accepted submission's diff, applied at once (preview then apply). */
  async applyAccepted(actor: Actor, submission: FormSubmissionView): Promise<PairingDiff> {
    const d = await this.diff(actor, submission.id);
    return this.apply(actor, submission.id, d.registryVersion);
  }
}

export interface AssessmentView {
  id: string;
  pairingId: string;
  year: number;
  grade: string;
  score: number | null;
  comment: string;
  cityName: string;
  assistedName: string;
  helperName: string;
  assessedAt: string;
}

function visitKey(year: number, pairingId: string): string {
  return createHash('sha256').update(`visit:${year}:${pairingId}`).digest('hex');
}

function fieldName(column: string): string {
  return (FIELDS.find(([, c]) => c === column) as [string, string])[0];
}

function seesAll(actor: Actor): boolean {
  return hasRole(actor, 'coordinator', 'admin', 'auditor');
}

function isCityUser(actor: Actor): boolean {
  return actor.cityId !== null && (actor.unitKind === 'city_bureau' || actor.unitKind === 'city_government');
}

function mayManage(actor: Actor, cityId: string): boolean {
  if (hasRole(actor, 'coordinator')) return true;
  return actor.unitKind === 'city_bureau' && actor.cityId === cityId && hasRole(actor, 'officer', 'unit_head');
}

function mayRecord(actor: Actor, p: PairingView): boolean {
  if (mayManage(actor, p.cityId)) return true;
  return (actor.unitId === p.assistedId || actor.unitId === p.helperId) && hasRole(actor, 'officer', 'unit_head');
}

/** Which pairings (alias p) an actor may read: all for the bureau; their city for city users; their own for a county. */
function scopeSql(actor: Actor, first: number): { sql: string; params: unknown[] } {
  if (seesAll(actor)) return { sql: 'true', params: [] };
  if (isCityUser(actor)) return { sql: `p.city_id = $${first}`, params: [actor.cityId] };
  return { sql: `(p.assisted_id = $${first} or p.helper_id = $${first})`, params: [actor.unitId] };
}
