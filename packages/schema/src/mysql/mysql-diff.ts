import type { PlanBuilder } from '../plan-builder.js';
import type { MysqlSchemaModel } from '../schema-model.js';
export function diffMysql(_from: MysqlSchemaModel, _to: MysqlSchemaModel, _b: PlanBuilder): void {}
