import { defineConfig } from 'vitest/config';

// One Vitest run covers every workspace; each project keeps its unit tests beside its code.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'sdk', root: 'sdk', include: ['src/**/*.test.ts'], environment: 'happy-dom' },
      },
      {
        test: { name: 'server', root: 'server', include: ['src/**/*.test.ts'], environment: 'node' },
      },
      {
        esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
        test: {
          name: 'devtools-extension',
          root: 'devtools-extension',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'demo-backend',
          root: 'demo-backend',
          include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
