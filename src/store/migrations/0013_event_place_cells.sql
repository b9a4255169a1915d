-- Duplicate suggestions look for open events of the same category within a few hundred metres.
-- A cell of 0.002° × 0.002° (about 220 m × 190 m in Nanjing) is kept with each event, so that the
-- search reads the events of a handful of cells instead of a band of latitude across the city.
ALTER TABLE events ADD COLUMN place_cell BIGINT;
UPDATE events SET place_cell = CAST(floor((lat + 90) / 0.002) AS BIGINT) * 200000
                             + CAST(floor((lon + 180) / 0.002) AS BIGINT)
    WHERE lat IS NOT NULL AND lon IS NOT NULL;
DROP INDEX events_category_place;
CREATE INDEX events_category_cell ON events(category_code, place_cell);
