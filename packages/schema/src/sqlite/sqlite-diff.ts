import type { PlanBuilder } from '../plan-builder.js';
import type { SqliteSchemaModel } from '../schema-model.js';
export function diffSqlite(_from: SqliteSchemaModel, _to: SqliteSchemaModel, _b: PlanBuilder): void {}
