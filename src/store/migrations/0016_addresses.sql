-- Standard addresses (标准地址): a tree from the road down to the room (road → house number →
-- compound 小区 → building 楼栋 → unit 单元 → room 房屋), each with its full written form, a point,
-- and the grid it falls in (computed from the point or the parent, correctable by hand); rooms
-- with their use and area. And where people live: a person in a room, with the relation and the
-- dates.

CREATE TABLE addresses (
    id {{pk}},
    parent_id BIGINT REFERENCES addresses(id),
    level TEXT NOT NULL CHECK (level IN ('road', 'house', 'compound', 'building', 'unit', 'room')),
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    node_id BIGINT REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL,
    node_corrected SMALLINT NOT NULL DEFAULT 0,  -- set by hand, not computed
    floor INTEGER,
    room_use TEXT CHECK (room_use IN ('self_occupied', 'rented', 'vacant', 'business')),
    area_m2 DOUBLE PRECISION,
    source TEXT NOT NULL DEFAULT 'collected'
        CHECK (source IN ('collected', 'imported', 'self_reported')),
    state TEXT NOT NULL DEFAULT 'collected' CHECK (state IN ('collected', 'verified', 'flagged')),
    collected_by BIGINT REFERENCES users(id),
    collected_at BIGINT NOT NULL,
    verified_by BIGINT REFERENCES users(id),
    verified_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (parent_id, name)
);
-- a road or compound at the top is named once in its area
CREATE UNIQUE INDEX addresses_top_name ON addresses(node_path, name) WHERE parent_id IS NULL;
CREATE INDEX addresses_path ON addresses(node_path {{text_pattern_ops}});
CREATE INDEX addresses_full_name ON addresses(full_name {{text_pattern_ops}});

CREATE TABLE residences (
    id {{pk}},
    person_id BIGINT NOT NULL REFERENCES people(id),
    room_id BIGINT NOT NULL REFERENCES addresses(id),
    relation TEXT NOT NULL CHECK (relation IN ('owner', 'family', 'tenant', 'other')),
    from_date TEXT,                       -- YYYY-MM-DD
    to_date TEXT,                         -- NULL: lives there now
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX residences_person ON residences(person_id);
CREATE INDEX residences_room ON residences(room_id);
