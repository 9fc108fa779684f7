import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Passwords hashed at the tests' cost (src-shared/node/secrets.ts); one test checks production's.
    env: { AQUADESK_PASSWORD_COST: 'test' },
  },
});
