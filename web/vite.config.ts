import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Maven build writes the bundle into the web jar's META-INF/resources, which inventory-service serves at "/".
// `npm run dev` proxies the API and the live streams to a local inventory-service (./run.sh).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: process.env.WEB_OUT_DIR ?? 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
