import { generateDemoData } from './src/demo/demo-data.ts';
for (let i = 0; i < 5; i++) { const t = performance.now(); await generateDemoData(); console.log('gen ms', (performance.now() - t).toFixed(0)); }
