export {
  DEFAULT_DEMO_SIZES,
  DEMO_REFERENCE_DATE,
  DEMO_ROWS_PER_STATEMENT,
  DEMO_SEED,
  type DemoData,
  type DemoDataOptions,
  type DemoSizes,
  demoDataStatements,
  generateDemoData,
} from './demo-data.js';
export { DemoError, type DemoErrorCode, DemoOptionsError, DemoSeedError } from './demo-errors.js';
export {
  DEMO_ORDER_STATUSES,
  DEMO_PAYMENT_METHODS,
  DEMO_TABLES,
  DEMO_TICKET_CATEGORIES,
  DEMO_TICKET_PRIORITIES,
  DEMO_TICKET_STATUSES,
  type DemoColumn,
  type DemoOrderStatus,
  type DemoPaymentMethod,
  type DemoTable,
  type DemoTableName,
  type DemoTicketCategory,
  type DemoTicketPriority,
  type DemoTicketStatus,
  demoConstraintStatements,
  demoSchemaStatements,
  demoTableStatements,
} from './demo-schema.js';
export { type DemoSummary, type SeedDemoOptions, seedDemo } from './seed-demo.js';
