import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DocumentEntity, type DocumentStatus } from './document.entity';
import { MeasureUnitEntity } from './measure-unit.entity';
import { MeasureEntity } from './measure.entity';

/** Documents, their measures and the printed unit names of each measure. */
@Injectable()
export class DocumentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<DocumentEntity | null> {
    return manager.findOne(DocumentEntity, { where: { id } });
  }

  /** Locks the document row for the rest of the transaction (publish, corrections). */
  lockById(manager: EntityManager, id: string): Promise<DocumentEntity | null> {
    return manager.findOne(DocumentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByDocNumber(docNumber: string, manager: EntityManager = this.dataSource.manager): Promise<DocumentEntity | null> {
    return manager.findOne(DocumentEntity, { where: { docNumber } });
  }

  async cleanedText(id: string): Promise<string | null> {
    const row = await this.dataSource.manager
      .createQueryBuilder(DocumentEntity, 'd')
      .select('d.cleanedText', 'text')
      .where('d.id = :id', { id })
      .getRawOne<{ text: string }>();
    return row?.text ?? null;
  }

  async list(filter: { statuses: DocumentStatus[]; limit: number; offset: number }): Promise<{ items: DocumentEntity[]; total: number }> {
    const [items, total] = await this.dataSource.manager
      .createQueryBuilder(DocumentEntity, 'd')
      .where('d.status in (:...statuses)', { statuses: filter.statuses })
      .orderBy('d.created_at', 'DESC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { items, total };
  }

  /** Measures of a document in order, each with its printed names and resolved units. */
  measuresOf(documentId: string, manager: EntityManager = this.dataSource.manager): Promise<MeasureEntity[]> {
    return manager
      .createQueryBuilder(MeasureEntity, 'm')
      .leftJoinAndSelect('m.units', 'mu')
      .leftJoinAndSelect('mu.unit', 'u')
      .where('m.document_id = :documentId', { documentId })
      .orderBy('m.no', 'ASC')
      .addOrderBy('mu.role', 'DESC')
      .addOrderBy('mu.position', 'ASC')
      .getMany();
  }

  measureByNo(manager: EntityManager, documentId: string, no: number): Promise<MeasureEntity | null> {
    return manager.findOne(MeasureEntity, { where: { documentId, no }, relations: { units: { unit: true } } });
  }

  insertDocument(manager: EntityManager, data: Partial<DocumentEntity>): Promise<DocumentEntity> {
    return manager.save(manager.create(DocumentEntity, data));
  }

  insertMeasures(manager: EntityManager, rows: Partial<MeasureEntity>[]): Promise<MeasureEntity[]> {
    return manager.save(rows.map((r) => manager.create(MeasureEntity, r)));
  }

  async replaceMeasureUnits(manager: EntityManager, measureId: string, rows: Partial<MeasureUnitEntity>[]): Promise<void> {
    await manager.delete(MeasureUnitEntity, { measureId });
    if (rows.length) await manager.insert(MeasureUnitEntity, rows.map((r) => ({ ...r, measureId })));
  }

  async insertMeasureUnits(manager: EntityManager, rows: Partial<MeasureUnitEntity>[]): Promise<void> {
    if (rows.length) await manager.insert(MeasureUnitEntity, rows);
  }

  /** Points every unresolved occurrence of a printed name in the document at a unit. */
  async resolvePrintedName(manager: EntityManager, documentId: string, printedName: string, unitId: string): Promise<number> {
    const result: [unknown, number] = await manager.query(
      `update measure_units mu set unit_id = $3, collective = null
         from measures m
        where mu.measure_id = m.id and m.document_id = $1 and mu.printed_name = $2 and mu.unit_id is null`,
      [documentId, printedName, unitId],
    );
    return result[1];
  }

  saveMeasure(manager: EntityManager, measure: MeasureEntity): Promise<MeasureEntity> {
    return manager.save(measure);
  }

  saveDocument(manager: EntityManager, doc: DocumentEntity): Promise<DocumentEntity> {
    return manager.save(doc);
  }

  async deleteDocument(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(DocumentEntity, { id });
  }
}
