-- The registry of actual population (实有人口): one row per person, in the grid where they live,
-- with where the record came from, who collected and verified it, its state and version. Identity
-- numbers and phones are encrypted, with a keyed hash to find a record by the exact value and a
-- masked copy for lists. Every change of a base record is kept in record_changes.

CREATE TABLE people (
    id {{pk}},
    name TEXT NOT NULL,
    id_type TEXT NOT NULL CHECK (id_type IN ('resident_id', 'passport', 'hk_macao_permit',
                                             'taiwan_permit', 'foreign_permanent', 'other')),
    id_number TEXT,                       -- encrypted
    id_number_hash TEXT,                  -- keyed hash (FieldCipher::lookup_hash)
    id_number_masked TEXT,
    gender TEXT CHECK (gender IN ('M', 'F')),
    birth_date TEXT,                      -- YYYY-MM-DD
    ethnicity TEXT,
    phone TEXT,                           -- encrypted
    phone_hash TEXT,
    phone_masked TEXT,
    household_type TEXT NOT NULL CHECK (household_type IN ('registered', 'floating', 'overseas',
                                                           'unregistered')),
    registered_address TEXT,
    employer TEXT,
    node_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('collected', 'imported', 'self_reported')),
    state TEXT NOT NULL DEFAULT 'collected' CHECK (state IN ('collected', 'verified', 'flagged')),
    collected_by BIGINT REFERENCES users(id),
    collected_at BIGINT NOT NULL,
    verified_by BIGINT REFERENCES users(id),
    verified_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX people_id_number ON people(id_type, id_number_hash)
    WHERE id_number_hash IS NOT NULL;
CREATE INDEX people_phone ON people(phone_hash);
CREATE INDEX people_name ON people(name);
CREATE INDEX people_path ON people(node_path {{text_pattern_ops}});

CREATE TABLE record_changes (
    id {{pk}},
    record_type TEXT NOT NULL,            -- person …
    record_id BIGINT NOT NULL,
    version INTEGER NOT NULL,             -- the version the change made
    changed_by BIGINT REFERENCES users(id),
    changed_at BIGINT NOT NULL,
    changes TEXT NOT NULL                 -- JSON {"field": [before, after]}, personal data masked
);
CREATE INDEX record_changes_record ON record_changes(record_type, record_id, version);
