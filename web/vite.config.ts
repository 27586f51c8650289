import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Maven build writes the bundle into the web jar's META-INF/resources, which inventory-service serves at "/".
// `npm run dev` proxies the API and the live streams to a local inventory-service (./run.sh; API_TARGET=http://host:port
// for another one).
const api = process.env.API_TARGET ?? 'http://localhost:8080';
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: process.env.WEB_OUT_DIR ?? 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
