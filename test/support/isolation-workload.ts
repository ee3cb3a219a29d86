import { randomUUID } from 'node:crypto';

import type { TenantTransaction } from '../../src/database/tenant-database';

export type RunInTenant = <T>(
  tenantId: string,
  work: (tx: TenantTransaction) => Promise<T>,
) => Promise<T>;

export interface WorkloadResult {
  operations: number;
  foreignRows: number;
  rejectedWrites: number;
}

/**
 * Runs a mixed, concurrent workload of reads and writes for many tenants. Reads deliberately have no
 * tenant filter, as if application code forgot one, so only row-level security keeps them apart.
 * Counts rows of another tenant that any read returned or any write touched.
 */
export async function runIsolationWorkload(
  tenantIds: string[],
  runInTenant: RunInTenant,
  options: { operations: number; concurrency: number; run: number },
): Promise<WorkloadResult> {
  const result: WorkloadResult = { operations: 0, foreignRows: 0, rejectedWrites: 0 };
  let next = 0;

  const operation = async (index: number): Promise<void> => {
    const tenantId = tenantIds[index % tenantIds.length];

    await runInTenant(tenantId, (tx) =>
      tenantOperation(
        tx,
        tenantId,
        `+19${options.run}${String(index).padStart(8, '0')}`,
        index,
        result,
      ),
    ).catch((error: unknown) => {
      // A broken setup can make the database reject a write for the wrong tenant. Count it, do not hide it.
      if (error instanceof Error && /row-level security/i.test(error.message)) {
        result.rejectedWrites += 1;

        return;
      }

      throw error;
    });
    result.operations += 1;
  };

  const workers = Array.from({ length: options.concurrency }, async () => {
    while (next < options.operations) {
      const index = next;

      next += 1;
      await operation(index);
    }
  });

  await Promise.all(workers);

  return result;
}

async function tenantOperation(
  tx: TenantTransaction,
  tenantId: string,
  phone: string,
  index: number,
  result: WorkloadResult,
): Promise<void> {
  switch (index % 4) {
    case 0: {
      await tx.contact.create({
        data: { tenantId, phone, name: randomUUID() },
      });
      break;
    }

    case 1: {
      const rows = await tx.contact.findMany({ select: { tenantId: true } });

      result.foreignRows += rows.filter((row) => row.tenantId !== tenantId).length;
      break;
    }

    case 2: {
      const rows = await tx.$queryRaw<
        { tenant_id: string }[]
      >`SELECT tenant_id::text FROM contacts`;

      result.foreignRows += rows.filter((row) => row.tenant_id !== tenantId).length;
      break;
    }

    default: {
      const updated = await tx.contact.updateManyAndReturn({
        data: { tags: ['touched'] },
        select: { tenantId: true },
      });

      result.foreignRows += updated.filter((row) => row.tenantId !== tenantId).length;
    }
  }
}
