-- Code tables of GB/T 31000-2015 (社会治安综合治理基础数据规范) that the registry's special
-- groups use, Chinese as the standard writes it (OCR slips of the source corrected) with English
-- beside. Source and licence: docs/data-sources.md. And the tags that put a person in a special
-- group or a care group, with the attributes of the standard, a level of attention and how often
-- the grid worker visits.

CREATE TABLE code_tables (
    table_name TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    standard_name TEXT NOT NULL,          -- the table's name in the standard
    PRIMARY KEY (table_name, code)
);

INSERT INTO code_tables (table_name, code, name, name_en, standard_name) VALUES
    ('correction_category', '01', '管制', 'Public surveillance', '矫正类别'),
    ('correction_category', '02', '缓刑', 'Suspended sentence', '矫正类别'),
    ('correction_category', '03', '假释', 'Parole', '矫正类别'),
    ('correction_category', '04', '暂予监外执行', 'Temporary execution outside prison', '矫正类别'),
    ('correction_category', '05', '剥夺政治权利', 'Deprivation of political rights', '矫正类别'),
    ('correction_release', '01', '期满解除', 'Term completed', '矫正解除类型'),
    ('correction_release', '02', '收监执行', 'Committed to prison', '矫正解除类型'),
    ('correction_release', '03', '死亡', 'Died', '矫正解除类型'),
    ('correction_release', '04', '居住地变更', 'Moved away', '矫正解除类型'),
    ('correction_release', '99', '其他', 'Other', '矫正解除类型'),
    ('drug_control', '01', '在控', 'Under control', '管控情况'),
    ('drug_control', '02', '失控', 'Out of control', '管控情况'),
    ('drug_control', '03', '死亡', 'Died', '管控情况'),
    ('drug_control', '04', '出国（境）', 'Abroad', '管控情况'),
    ('drug_control', '05', '社会面戒断三年未复吸', 'Abstinent in the community for three years', '管控情况'),
    ('drug_control', '06', '社会面戒断不满三年', 'Abstinent in the community for less than three years', '管控情况'),
    ('mental_diagnosis', '01', '精神分裂症', 'Schizophrenia', '目前诊断类型'),
    ('mental_diagnosis', '02', '分裂情感性障碍', 'Schizoaffective disorder', '目前诊断类型'),
    ('mental_diagnosis', '03', '持久的妄想性障碍（偏执性精神病）', 'Persistent delusional disorder (paranoid psychosis)', '目前诊断类型'),
    ('mental_diagnosis', '04', '双相（情感）障碍', 'Bipolar (affective) disorder', '目前诊断类型'),
    ('mental_diagnosis', '05', '癫痫所致精神障碍', 'Mental disorder due to epilepsy', '目前诊断类型'),
    ('mental_diagnosis', '06', '精神发育迟滞伴发精神障碍', 'Mental disorder with intellectual disability', '目前诊断类型'),
    ('mental_diagnosis', '07', '重度抑郁发作', 'Severe depressive episode', '目前诊断类型'),
    ('mental_diagnosis', '08', '精神活性物质所致精神障碍', 'Mental disorder due to psychoactive substances', '目前诊断类型'),
    ('mental_diagnosis', '99', '其他', 'Other', '目前诊断类型'),
    ('mental_risk_level', '01', '0级', 'Level 0', '目前危险性评估等级'),
    ('mental_risk_level', '02', '1级', 'Level 1', '目前危险性评估等级'),
    ('mental_risk_level', '03', '2级', 'Level 2', '目前危险性评估等级'),
    ('mental_risk_level', '04', '3级', 'Level 3', '目前危险性评估等级'),
    ('mental_risk_level', '05', '4级', 'Level 4', '目前危险性评估等级'),
    ('mental_risk_level', '06', '5级', 'Level 5', '目前危险性评估等级'),
    ('left_behind_type', '01', '留守老人', 'Left-behind elderly', '留守人员类型'),
    ('left_behind_type', '02', '留守妇女', 'Left-behind woman', '留守人员类型'),
    ('left_behind_type', '03', '留守儿童', 'Left-behind child', '留守人员类型'),
    ('crime_category', '01', '危害国家安全罪', 'Endangering national security', '罪名分类'),
    ('crime_category', '02', '危害公共安全罪', 'Endangering public security', '罪名分类'),
    ('crime_category', '03', '破坏社会主义市场经济秩序罪', 'Undermining the socialist market economy', '罪名分类'),
    ('crime_category', '04', '侵犯公民人身权利、民主权利罪', 'Infringing personal and democratic rights', '罪名分类'),
    ('crime_category', '05', '侵犯财产罪', 'Property crimes', '罪名分类'),
    ('crime_category', '06', '妨害社会管理秩序罪', 'Obstructing public order', '罪名分类'),
    ('crime_category', '07', '危害国防利益罪', 'Endangering national defence', '罪名分类'),
    ('crime_category', '08', '贪污贿赂罪', 'Embezzlement and bribery', '罪名分类'),
    ('crime_category', '09', '渎职罪', 'Dereliction of duty', '罪名分类'),
    ('crime_category', '10', '军人违反职责罪', 'Military duty offences', '罪名分类'),
    ('resettlement', '01', '落实责任田', 'Land to farm', '安置情况'),
    ('resettlement', '02', '公益性岗位安置', 'Public-interest job', '安置情况'),
    ('resettlement', '03', '企业认证为安置基地安置', 'Enterprise certified as a resettlement base', '安置情况'),
    ('resettlement', '04', '建设政府投入为主的安置基地安置', 'Government-funded resettlement base', '安置情况'),
    ('resettlement', '05', '从事个体经营', 'Self-employed business', '安置情况'),
    ('resettlement', '06', '企业和经济实体吸纳就业', 'Employed by an enterprise', '安置情况'),
    ('resettlement', '07', '自主创业', 'Own start-up', '安置情况'),
    ('resettlement', '99', '其他安置方式', 'Other', '安置情况'),
    ('key_youth_type', '01', '闲散青少年', 'Idle youth', '人员类型'),
    ('key_youth_type', '02', '有不良行为或严重不良行为青少年', 'Youth with bad or seriously bad behaviour', '人员类型'),
    ('key_youth_type', '03', '流浪乞讨未成年人', 'Vagrant or begging minor', '人员类型'),
    ('key_youth_type', '04', '服刑人员未成年子女', 'Minor child of a prisoner', '人员类型'),
    ('key_youth_type', '05', '农村留守儿童', 'Rural left-behind child', '人员类型'),
    ('key_youth_type', '99', '其他', 'Other', '人员类型'),
    ('attention', '01', '高', 'High', '关注程度'),
    ('attention', '02', '中', 'Medium', '关注程度'),
    ('attention', '03', '低', 'Low', '关注程度'),
    ('family_economy', '01', '无固定经济来源', 'No fixed income', '家庭经济情况'),
    ('family_economy', '02', '有固定经济来源', 'Fixed income', '家庭经济情况'),
    ('family_economy', '03', '低收入家庭', 'Low-income family', '家庭经济情况'),
    ('family_economy', '04', '贫困', 'Poor', '家庭经济情况'),
    ('family_economy', '99', '其他', 'Other', '家庭经济情况');

CREATE TABLE person_tags (
    id {{pk}},
    person_id BIGINT NOT NULL REFERENCES people(id),
    tag TEXT NOT NULL,                    -- community_correction, severe_mental_disorder, …
    attributes TEXT NOT NULL DEFAULT '{}', -- JSON: {"attribute": "code"} from code_tables
    attention TEXT NOT NULL DEFAULT '02' CHECK (attention IN ('01', '02', '03')),
    visit_every_days INTEGER NOT NULL,
    last_visit_at BIGINT,
    since TEXT,                           -- YYYY-MM-DD
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (person_id, tag)
);
CREATE INDEX person_tags_tag ON person_tags(tag);
