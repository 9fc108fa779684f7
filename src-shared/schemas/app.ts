import { z } from 'zod';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'web']),
  dataDir: z.string(),
  databaseFile: z.string(),
  databaseBytes: z.number().int().nonnegative(),
  schemaVersion: z.number().int(),
  accounts: z.number().int().nonnegative(),
  runtime: z.object({ node: z.string(), electron: z.string().nullable(), platform: z.string() }),
  logDir: z.string(),
  /** the data folder holds the generated demo city (the sign-in screen then names the demo logins) */
  demo: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;
