// The base of every map of the grid tree: the deployment's raster tiles when it has them (else a
// plain background), and the grid tree as vector tiles from gridgov, under the layers a page adds.
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { api } from '../api';

export interface GridMapStyle {
  style: StyleSpecification;
  attribution: boolean; // base tiles that ask to be credited
}

export async function gridMapStyle(sources: Record<string, SourceSpecification>, layers: LayerSpecification[]): Promise<GridMapStyle> {
  const config = await api<{ base_tiles_url: string | null; base_tiles_attribution: string }>('GET', '/api/v1/map/config')
    .catch(() => ({ base_tiles_url: null, base_tiles_attribution: '' }));
  const base = config.base_tiles_url;
  return {
    attribution: Boolean(base),
    style: {
      version: 8,
      sources: {
        grid: { type: 'vector', tiles: [`${location.origin}/api/v1/grid/tiles/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 18 },
        ...(base ? { base: { type: 'raster', tiles: [base], tileSize: 256, attribution: config.base_tiles_attribution } } : {}),
        ...sources,
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#eef2f7' } },
        ...(base ? [{ id: 'base', type: 'raster' as const, source: 'base' }] : []),
        ...layers,
      ],
    },
  };
}
