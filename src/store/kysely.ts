/**
 * kysely's runtime values (the query builder, its dialects, `sql`), loaded through its CommonJS build:
 * its ES build is ~260 modules, and Node's ES loader takes ≈ 130 ms for them where `require` takes ≈ 80 ms
 * (Node 20, bench/RESULTS.md "Distributed scans, round 3") — part of every store-using command's start-up,
 * the distributed-scan coordinator's included. Types still come from `import type … from 'kysely'`.
 * Every runtime use of kysely in src/ goes through here, so there is one copy of it in the process.
 */
import { createRequire } from 'node:module';
import type * as K from 'kysely';

const kysely = createRequire(import.meta.url)('kysely') as typeof K;

export const { Kysely, PostgresDialect, SqliteDialect, sql } = kysely;
export type Kysely<DB> = K.Kysely<DB>;
