import { Global, Module } from '@nestjs/common';

import { PrismaService } from './prisma.service';
import { TenantDatabase } from './tenant-database';
import { TenantResolver } from './tenant-resolver';

@Global()
@Module({
  providers: [PrismaService, TenantDatabase, TenantResolver],
  exports: [PrismaService, TenantDatabase, TenantResolver],
})
export class DatabaseModule {}
