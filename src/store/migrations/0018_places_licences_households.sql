-- Key places (重点场所) with their risk level, contact and how often they are inspected, and the
-- inspections (what was found, the hazard's type after GB/T 31000 隐患类型, the event it became);
-- licences and certificates (证件证照) held by a person, an organisation or a place; households
-- (户) with their number, room and head, and each person's place in one; the merges of duplicate
-- people (the merged record's last state kept). Organisations get the columns every base record
-- has (source, verified by and when) and their phone is kept encrypted like a person's.

CREATE TABLE key_places (
    id {{pk}},
    kind TEXT NOT NULL,                   -- code_tables 'key_place_kind'
    name TEXT NOT NULL,
    risk_level TEXT NOT NULL CHECK (risk_level IN ('low', 'medium', 'high')),
    contact_name TEXT,
    contact_phone TEXT,                   -- encrypted
    contact_phone_masked TEXT,
    address_id BIGINT REFERENCES addresses(id),
    organisation_id BIGINT REFERENCES organisations(id),
    node_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL,
    inspect_every_days INTEGER NOT NULL,
    last_inspected_at BIGINT,
    source TEXT NOT NULL DEFAULT 'collected'
        CHECK (source IN ('collected', 'imported', 'self_reported')),
    state TEXT NOT NULL DEFAULT 'collected' CHECK (state IN ('collected', 'verified', 'flagged')),
    collected_by BIGINT REFERENCES users(id),
    collected_at BIGINT NOT NULL,
    verified_by BIGINT REFERENCES users(id),
    verified_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX key_places_path ON key_places(node_path {{text_pattern_ops}});
CREATE INDEX key_places_name ON key_places(name);

CREATE TABLE place_inspections (
    id {{pk}},
    place_id BIGINT NOT NULL REFERENCES key_places(id),
    inspected_by BIGINT REFERENCES users(id),
    inspected_at BIGINT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('passed', 'hazard_found', 'rectified')),
    hazard_type TEXT,                     -- code_tables 'hazard_type' (GB/T 31000 隐患类型)
    notes TEXT,
    rectify_by TEXT,                      -- YYYY-MM-DD
    event_id BIGINT REFERENCES events(id)
);
CREATE INDEX place_inspections_place ON place_inspections(place_id, inspected_at);

CREATE TABLE licences (
    id {{pk}},
    holder_type TEXT NOT NULL CHECK (holder_type IN ('person', 'organisation', 'place')),
    holder_id BIGINT NOT NULL,
    kind TEXT NOT NULL,                   -- code_tables 'licence_kind'
    number TEXT NOT NULL,
    issuer TEXT,
    issued_on TEXT,                       -- YYYY-MM-DD
    valid_until TEXT,                     -- YYYY-MM-DD, NULL: no end
    node_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'collected'
        CHECK (source IN ('collected', 'imported', 'self_reported')),
    state TEXT NOT NULL DEFAULT 'collected' CHECK (state IN ('collected', 'verified', 'flagged')),
    collected_by BIGINT REFERENCES users(id),
    collected_at BIGINT NOT NULL,
    verified_by BIGINT REFERENCES users(id),
    verified_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, number)
);
CREATE INDEX licences_holder ON licences(holder_type, holder_id);
CREATE INDEX licences_valid ON licences(node_path {{text_pattern_ops}}, valid_until);

CREATE TABLE households (
    id {{pk}},
    number TEXT,                          -- 户号, unique where given
    kind TEXT NOT NULL DEFAULT 'family' CHECK (kind IN ('family', 'collective')),
    room_id BIGINT REFERENCES addresses(id),
    head_person_id BIGINT REFERENCES people(id),
    node_id BIGINT NOT NULL REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'collected'
        CHECK (source IN ('collected', 'imported', 'self_reported')),
    state TEXT NOT NULL DEFAULT 'collected' CHECK (state IN ('collected', 'verified', 'flagged')),
    collected_by BIGINT REFERENCES users(id),
    collected_at BIGINT NOT NULL,
    verified_by BIGINT REFERENCES users(id),
    verified_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX households_number ON households(number) WHERE number IS NOT NULL;
CREATE INDEX households_path ON households(node_path {{text_pattern_ops}});
CREATE INDEX households_room ON households(room_id);

ALTER TABLE people ADD COLUMN household_id BIGINT REFERENCES households(id);
ALTER TABLE people ADD COLUMN relation_to_head TEXT;  -- code_tables 'household_relation'
CREATE INDEX people_household ON people(household_id);

CREATE TABLE person_merges (
    id {{pk}},
    merged_id BIGINT NOT NULL,            -- the record merged away (deleted)
    kept_id BIGINT NOT NULL REFERENCES people(id),
    merged_by BIGINT REFERENCES users(id),
    merged_at BIGINT NOT NULL,
    snapshot TEXT NOT NULL                -- JSON: the merged record as it was, masked
);
CREATE INDEX person_merges_kept ON person_merges(kept_id);

ALTER TABLE organisations ADD COLUMN source TEXT NOT NULL DEFAULT 'collected'
    CHECK (source IN ('collected', 'imported', 'self_reported'));
ALTER TABLE organisations ADD COLUMN verified_by BIGINT REFERENCES users(id);
ALTER TABLE organisations ADD COLUMN verified_at BIGINT;
ALTER TABLE organisations ADD COLUMN phone_masked TEXT;

INSERT INTO code_tables (table_name, code, name, name_en, standard_name) VALUES
    ('key_place_kind', '01', '九小场所', 'Small premises (nine kinds)', '重点场所类型'),
    ('key_place_kind', '02', '人员密集场所', 'Crowded place', '重点场所类型'),
    ('key_place_kind', '03', '危险化学品场所', 'Hazardous chemicals site', '重点场所类型'),
    ('key_place_kind', '04', '加油加气站', 'Filling station', '重点场所类型'),
    ('key_place_kind', '05', '学校幼儿园', 'School or kindergarten', '重点场所类型'),
    ('key_place_kind', '06', '医疗机构', 'Medical institution', '重点场所类型'),
    ('key_place_kind', '07', '旅馆', 'Hotel', '重点场所类型'),
    ('key_place_kind', '08', '娱乐场所', 'Entertainment venue', '重点场所类型'),
    ('key_place_kind', '09', '网吧', 'Internet café', '重点场所类型'),
    ('key_place_kind', '10', '寄递物流网点', 'Parcel and logistics outlet', '重点场所类型'),
    ('key_place_kind', '11', '建筑工地', 'Construction site', '重点场所类型'),
    ('key_place_kind', '12', '群租房', 'Overcrowded rental', '重点场所类型'),
    ('key_place_kind', '13', '宗教活动场所', 'Place of worship', '重点场所类型'),
    ('key_place_kind', '99', '其他', 'Other', '重点场所类型'),
    ('hazard_type', '00', '无', 'None', '隐患类型'),
    ('hazard_type', '01', '火灾隐患', 'Fire hazard', '隐患类型'),
    ('hazard_type', '02', '治安隐患', 'Public security hazard', '隐患类型'),
    ('hazard_type', '03', '矛盾纠纷隐患', 'Dispute hazard', '隐患类型'),
    ('hazard_type', '04', '危化物品隐患', 'Hazardous chemicals hazard', '隐患类型'),
    ('hazard_type', '05', '疾病传染隐患', 'Infectious disease hazard', '隐患类型'),
    ('hazard_type', '99', '其他', 'Other', '隐患类型'),
    ('licence_kind', '01', '居住证', 'Residence permit', '办证类型'),
    ('licence_kind', '02', '暂住证', 'Temporary residence permit', '办证类型'),
    ('licence_kind', '10', '营业执照', 'Business licence', '证照类型'),
    ('licence_kind', '11', '食品经营许可证', 'Food business licence', '证照类型'),
    ('licence_kind', '12', '消防安全检查合格证', 'Fire safety certificate', '证照类型'),
    ('licence_kind', '13', '特种行业许可证', 'Special trade licence', '证照类型'),
    ('licence_kind', '14', '危险化学品经营许可证', 'Hazardous chemicals licence', '证照类型'),
    ('licence_kind', '15', '卫生许可证', 'Health licence', '证照类型'),
    ('licence_kind', '16', '民办学校办学许可证', 'Private school licence', '证照类型'),
    ('licence_kind', '99', '其他', 'Other', '证照类型'),
    ('household_relation', '01', '户主', 'Head', '与户主关系'),
    ('household_relation', '02', '配偶', 'Spouse', '与户主关系'),
    ('household_relation', '03', '子女', 'Child', '与户主关系'),
    ('household_relation', '04', '父母', 'Parent', '与户主关系'),
    ('household_relation', '05', '祖父母', 'Grandparent', '与户主关系'),
    ('household_relation', '06', '孙子女', 'Grandchild', '与户主关系'),
    ('household_relation', '07', '兄弟姐妹', 'Sibling', '与户主关系'),
    ('household_relation', '99', '其他', 'Other', '与户主关系');
