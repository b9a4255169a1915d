import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run dev` proxies the API to a gridgov server on :8080; `npm run build` writes dist/,
// which gridgov serves itself.
export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks: { 'element-plus': ['element-plus'], vue: ['vue', 'vue-router', 'vue-i18n'] },
      },
    },
  },
});
