-- Organisations (组织): enterprises with their unified social credit code, individual businesses,
-- social organisations and institutions, in the grid where they are, with their legal
-- representative, contact, industry and size; kept like every base record (source, state,
-- collected and verified, versions).

CREATE TABLE organisations (
    id {{pk}},
    kind TEXT NOT NULL CHECK (kind IN ('enterprise', 'individual_business', 'social_organisation',
                                       'institution')),
    name TEXT NOT NULL,
    credit_code TEXT UNIQUE,              -- GB 32100-2015, checked
    legal_representative TEXT,
    phone TEXT,
    address_id BIGINT REFERENCES addresses(id),
    node_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL,
    industry TEXT,
    employees INTEGER,
    state TEXT NOT NULL DEFAULT 'collected' CHECK (state IN ('collected', 'verified', 'flagged')),
    collected_by BIGINT REFERENCES users(id),
    collected_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX organisations_path ON organisations(node_path {{text_pattern_ops}});
CREATE INDEX organisations_name ON organisations(name);
