import { describe, expect, it } from 'vitest';
import { dataLoss, planSteps, renderPlan } from './plan-steps.js';
import type { PlanStatement, SchemaPlan } from './schema-plan.js';

const statement = (sql: string, extra: Partial<PlanStatement> = {}): PlanStatement => ({
  sql,
  hazards: [],
  online: true,
  transactional: true,
  lockTimeoutMillis: 3000,
  statementTimeoutMillis: 3000,
  ...extra,
});

describe('planSteps', () => {
  it('sets the timeouts before the statements that need them, once each, and resets them at the end', () => {
    const plan: SchemaPlan = {
      dialect: 'postgres',
      statements: [
        statement('ALTER TABLE a ADD COLUMN b int'),
        statement('CREATE INDEX CONCURRENTLY i ON a (b)', {
          statementTimeoutMillis: 1_200_000,
          transactional: false,
        }),
        statement('COMMENT ON TABLE a IS NULL'),
      ],
      unsupported: [],
    };
    expect(planSteps(plan).map((s) => s.sql)).toEqual([
      'SET lock_timeout = 3000',
      'SET statement_timeout = 3000',
      'ALTER TABLE a ADD COLUMN b int',
      'SET statement_timeout = 1200000',
      'CREATE INDEX CONCURRENTLY i ON a (b)',
      'SET statement_timeout = 3000',
      'COMMENT ON TABLE a IS NULL',
      'RESET lock_timeout',
      'RESET statement_timeout',
    ]);
    expect(
      planSteps(plan)
        .filter((s) => s.statement !== null)
        .map((s) => s.statement),
    ).toEqual([0, 1, 2]);
  });

  it('sets MySQL lock_wait_timeout in whole seconds and writes nothing for an empty plan', () => {
    const plan: SchemaPlan = {
      dialect: 'mysql',
      statements: [
        statement('ALTER TABLE `t` ADD COLUMN `b` int, ALGORITHM=INSTANT', {
          lockTimeoutMillis: 2500,
          statementTimeoutMillis: null,
        }),
      ],
      unsupported: [],
    };
    expect(planSteps(plan).map((s) => s.sql)).toEqual([
      'SET SESSION lock_wait_timeout = 3',
      'ALTER TABLE `t` ADD COLUMN `b` int, ALGORITHM=INSTANT',
      'SET SESSION lock_wait_timeout = DEFAULT',
    ]);
    expect(planSteps({ dialect: 'postgres', statements: [], unsupported: [] })).toEqual([]);
  });
});

describe('renderPlan for MySQL', () => {
  it('puts a body holding semicolons between DELIMITER lines, as the mysql client needs', () => {
    const plan: SchemaPlan = {
      dialect: 'mysql',
      statements: [
        statement(
          'CREATE PROCEDURE `p`() NOT DETERMINISTIC CONTAINS SQL SQL SECURITY DEFINER\nbegin select 1; end',
          {
            statementTimeoutMillis: null,
          },
        ),
      ],
      unsupported: [],
    };
    expect(renderPlan(plan).split('\n')).toEqual([
      'SET SESSION lock_wait_timeout = 3;',
      'DELIMITER //',
      'CREATE PROCEDURE `p`() NOT DETERMINISTIC CONTAINS SQL SQL SECURITY DEFINER',
      'begin select 1; end//',
      'DELIMITER ;',
      'SET SESSION lock_wait_timeout = DEFAULT;',
      '',
    ]);
  });
});

describe('renderPlan and dataLoss', () => {
  const plan: SchemaPlan = {
    dialect: 'sqlite',
    statements: [
      statement('DROP TABLE "t"', {
        hazards: [{ code: 'DELETES_DATA', message: 'every row of t is deleted' }],
      }),
      statement('CREATE INDEX i ON u (a)', { hazards: [{ code: 'INDEX_BUILD', message: 'builds i on u' }] }),
    ],
    unsupported: [{ kind: 'virtual table', name: 'docs', message: 'only in the target schema; not planned' }],
  };

  it('writes a script with the hazards and the unsupported differences as comments', () => {
    expect(renderPlan(plan)).toBe(
      [
        '-- unsupported virtual table docs: only in the target schema; not planned',
        '-- DELETES_DATA: every row of t is deleted',
        'DROP TABLE "t";',
        '-- INDEX_BUILD: builds i on u',
        'CREATE INDEX i ON u (a);',
        '',
      ].join('\n'),
    );
  });

  it('names the statements that delete data', () => {
    expect(dataLoss(plan).map((s) => s.sql)).toEqual(['DROP TABLE "t"']);
    expect(dataLoss({ ...plan, statements: plan.statements.slice(1) })).toEqual([]);
  });
});
