-- Finding open events of a category near a place (duplicate suggestions) without reading every
-- event of the category: by category, then latitude.
CREATE INDEX events_category_place ON events(category_code, lat, lon);
