import { Injectable } from '@nestjs/common';

import { TenantNotFoundError } from './admin.errors';
import { TenantDirectoryRepository } from './tenant-directory.repository';
import type { TenantListing } from './tenant-directory.repository';

/** Finds tenants for the CLI: all of them, or the one an operator named by id or slug. */
@Injectable()
export class TenantLookup {
  constructor(private readonly directory: TenantDirectoryRepository) {}

  list(): Promise<TenantListing[]> {
    return this.directory.list();
  }

  async resolve(reference: string): Promise<TenantListing> {
    const tenant = await this.directory.find(reference);

    if (!tenant) {
      throw new TenantNotFoundError(reference);
    }

    return tenant;
  }
}
