import type { Client } from 'pg';

export interface Index {
  tableOid: number;
  name: string;
  /** Key columns in order; '' for an expression. INCLUDE columns are left out. */
  columns: string[];
  /** Valid, ready and not partial, so the planner can use it for any row. */
  isUsable: boolean;
}

export interface ForeignKey {
  tableOid: number;
  name: string;
  columns: string[];
}

const indexesQuery = `
  SELECT i.indrelid AS table_oid, ic.relname AS name,
    (i.indisvalid AND i.indisready AND i.indpred IS NULL) AS is_usable,
    ARRAY(
      SELECT COALESCE(a.attname::text, '')
      FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
      LEFT JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE k.position <= i.indnkeyatts
      ORDER BY k.position
    )::text[] AS columns
  FROM pg_index AS i
  JOIN pg_class AS ic ON ic.oid = i.indexrelid
  JOIN pg_class AS c ON c.oid = i.indrelid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
  ORDER BY ic.relname`;

const foreignKeysQuery = `
  SELECT con.conrelid AS table_oid, con.conname AS name,
    ARRAY(
      SELECT a.attname
      FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
      JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
      ORDER BY k.position
    )::text[] AS columns
  FROM pg_constraint AS con
  JOIN pg_class AS c ON c.oid = con.conrelid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE con.contype = 'f' AND n.nspname = ANY($1::text[])
  ORDER BY con.conname`;

export async function readIndexes(client: Client, schemas: string[]): Promise<Index[]> {
  const result = await client.query<{
    table_oid: number;
    name: string;
    is_usable: boolean;
    columns: string[];
  }>(indexesQuery, [schemas]);

  return result.rows.map((row) => ({
    tableOid: row.table_oid,
    name: row.name,
    columns: row.columns,
    isUsable: row.is_usable,
  }));
}

export async function readForeignKeys(client: Client, schemas: string[]): Promise<ForeignKey[]> {
  const result = await client.query<{ table_oid: number; name: string; columns: string[] }>(
    foreignKeysQuery,
    [schemas],
  );

  return result.rows.map((row) => ({
    tableOid: row.table_oid,
    name: row.name,
    columns: row.columns,
  }));
}
