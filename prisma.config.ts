import { defineConfig } from 'prisma/config';

// The CLI migrates as the owner role; the service itself connects as the application role.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.MIGRATION_DATABASE_URL ?? '',
  },
});
