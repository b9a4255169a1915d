// The app's words, Chinese first with English beside. Error messages are translated by the
// server's error code.
import { createI18n } from 'vue-i18n';

const zh = {
  app: { title: '网格化社会治理信息平台', short: '网格治理' },
  login: {
    title: '登录', login: '账号', password: '密码', submit: '登录', loginRequired: '请输入账号',
    passwordRequired: '请输入密码', demoHint: '演示账号见启动时打印的列表',
  },
  nav: { home: '工作台', events: '事件中心', command: '指挥中心', phone: '网格通', map: '网格地图', registry: '基础数据', gridImport: '网格导入', users: '用户管理', audit: '审计日志', apiKeys: '接口密钥', account: '我的账户', logout: '退出登录' },
  home: {
    welcome: '欢迎，{name}', role: '角色', scope: '管辖范围', wholeTree: '全域', department: '所属部门', none: '无',
    permissions: '权限', server: '服务状态', database: '数据库', version: '版本',
  },
  users: {
    title: '用户管理', search: '搜索账号或姓名', role: '角色', allRoles: '全部角色', add: '新增用户', login: '账号', name: '姓名',
    phone: '手机', active: '状态', enabled: '启用', disabled: '停用', locked: '已锁定', actions: '操作', edit: '编辑',
    unlock: '解锁', password: '初始密码', scope: '管辖节点', department: '部门', save: '保存', cancel: '取消',
    created: '已创建用户 {login}', saved: '已保存', resetPassword: '重置密码', newPassword: '新密码', passwordSet: '密码已重置',
    reveal: '查看完整号码',
  },
  map: {
    search: '搜索名称或编码', byKind: '按类型', code: '编码', kind: '类型', households: '户数', population: '人口', area: '面积',
    comprehensive: '综合网格', dedicated: '专属网格', checkCoverage: '覆盖检查', findings: '发现 {n} 处问题',
    children: '下级 {n} 个',
    finding: { gap: '缝隙', overlap: '重叠', outside_parent: '超出上级', invalid: '边界无效' },
  },
  admin: {
    edit: '编辑', workers: '网格员', noWorkers: '尚未配备', pickWorker: '选择人员', assign: '配备', remove: '移除', subtype: '专属类别',
    duty: { full_time: '专职', part_time: '兼职', head: '网格长' },
    subtypes: { school: '学校', hospital: '医院', market: '市场', park: '公园', industrial_park: '园区', building_complex: '楼宇', other: '其他' },
  },
  registry: {
    title: '实有人口', name: '姓名', idNumber: '身份证号', phone: '手机', gender: '性别', birthDate: '出生日期', age: '年龄', ageYears: '{n} 岁', householdType: '户籍类型', state: '状态',
    ethnicity: '民族', employer: '工作单位', grid: '所在网格编码', gridHint: '默认为我的网格', find: '查询', add: '采集人员', added: '已采集',
    pickPerson: '输入姓名或身份证号', reveal: '查看完整号码', revealWhy: '请说明查看事由（将记入审计日志）', verify: '核实', groups: '特殊人群与关爱对象', homes: '居住情况', history: '变更记录',
    visitEvery: '每 {n} 天走访',
    genders: { M: '男', F: '女' }, household: { registered: '户籍', floating: '流动', overseas: '境外', unregistered: '未落户' },
    states: { collected: '已采集', verified: '已核实', flagged: '待核查' }, attention: { '01': '高度关注', '02': '一般关注', '03': '低' },
    relation: { owner: '产权人', family: '家庭成员', tenant: '租户', other: '其他' },
    base: '基础数据', roomUse: { self_occupied: '自住', rented: '出租', vacant: '空置', business: '经营', unknown: '未登记' },
    figures: {
      title: '统计', people: '实有人口', households: '户数', rooms: '房屋', collected30: '近30天采集', verified30: '近30天核实',
      visitsDue: '待走访', inspectionsDue: '待检查场所', licencesExpiring: '30天内到期证照', roomsByUse: '房屋用途',
    },
  },
  places: {
    title: '重点场所', name: '场所名称', kind: '场所类型', risk: '风险等级', risks: { high: '高', medium: '中', low: '低' }, contact: '联系人',
    due: '仅待检查', add: '登记场所', lastInspected: '最近检查', never: '未检查', every: '检查频次', everyDays: '每 {n} 天', flag: '存疑',
    inspections: '检查记录', results: { passed: '合格', hazard_found: '发现隐患', rectified: '已整改' }, hazard: '隐患类型', notes: '情况说明',
    record: '记录检查', inspected: '已记录检查', when: '检查时间', result: '结果', licences: '证件证照', licenceNumber: '证照编号',
    validUntil: '有效期至', addLicence: '添加证照',
  },
  orgs: {
    title: '组织机构', one: '所属单位', industry: '行业', search: '名称或统一社会信用代码', name: '名称', kind: '类型', creditCode: '统一社会信用代码', legal: '法定代表人', employees: '从业人数',
    kinds: { enterprise: '企业', individual_business: '个体工商户', social_organisation: '社会组织', institution: '机关事业单位' },
  },
  command: {
    today: '今日', month: '本月', year: '本年', byOpen: '按在办数', byOverdue: '按超期数', byClosure: '按未结率', heat: '热力图', bigScreen: '大屏',
    baseData: '基础数据', people: '实有人口', households: '户数', rooms: '房屋', groups: '重点人群标注', keyPlaces: '重点场所', organisations: '单位组织',
    live: '实时', intake: '受理数', closedCases: '结案数', closureRate: '结案率', onTimeRate: '按期结案率', satisfaction: '满意率', openNow: '在办',
    overdueNow: '超期', trend: '近30天受理与结案', reported: '受理', closed: '结案', openByCategory: '在办事件类别', overdueByDepartment: '部门在办与超期',
    open: '在办', overdue: '超期', ranking: '下级排名', area: '区域', intakeShort: '受理', screenTitle: '网格化社会治理指挥中心', openPage: '查看详情', noGrid: '不在任何网格内', gridWorkers: '本网格网格员', nearest: '最近的网格员', neighbours: '相邻网格（互助守望）',
  },
  phone: {
    title: '网格通', online: '在线', offline: '离线', sync: '同步', tasks: '任务', report: '上报', patrol: '巡查', passed: '核查通过', notPassed: '未通过',
    noTasks: '暂无待办', category: '选择事件类别', what: '事件标题', photos: '现场照片', photoCount: '已选 {n} 张', where: '位置', locate: '定位',
    noPosition: '未取得位置', onSpot: '已就地解决', send: '上报', sent: '已上报', queued: '已保存，联网后自动上报', fillIn: '请填写类别和标题',
    track: '巡查轨迹', patrolStart: '开始巡查', patrolEnd: '结束巡查', patrolEnded: '巡查已结束', onPatrol: '巡查中', points: '轨迹点 {n}',
    checkIns: '打卡 {n}', checkIn: '打卡', stop: '结束巡查', start: '开始巡查', visit: '走访记录', searchTarget: '搜索对象', notes: '走访情况',
    findings: '发现问题', reportFinding: '将发现的问题上报为事件', saveVisit: '保存走访', recorded: '已记录', pickTarget: '请选择走访对象',
    kinds: { person: '人员', household: '住户', place: '场所', check_in: '打卡' },
    duty: { full_time: '专职网格员', part_time: '兼职网格员', head: '网格长' }, openHere: '在办', overdueHere: '超期',
    pickOnMap: '地图选点', pickedOnMap: '地图选点', tapMap: '在地图上点选事件位置', usePoint: '使用此位置', finding: '正在查找网格…', outsideGrids: '不在任何网格内',
  },
  addresses: {
    title: '标准地址', one: '地址', search: '地址开头，如 永兴路18号', fullName: '完整地址', name: '名称', level: '层级', use: '用途', area: '面积（㎡）',
    levels: { road: '街路巷', house: '门牌', compound: '小区', building: '楼栋', unit: '单元', room: '房屋' },
    parent: '上级地址', grid: '所属网格', corrected: '已人工校正', floor: '楼层', under: '下级地址', residents: '居住人员', relation: '居住关系',
    from: '起始日期', to: '结束日期', moveIn: '登记入住', moveOut: '迁出', saved: '已保存', room: '房屋',
  },
  households: {
    title: '户', one: '户', number: '户号', kind: '户别', kinds: { family: '家庭户', collective: '集体户' }, members: '户成员',
    head: '户主', relation: '与户主关系', add: '登记户', join: '加入本户', leave: '移出',
  },
  importer: {
    title: '批量导入', choose: '选择文件', check: '检查', import: '导入', done: '已导入 {n} 人',
    hint: 'CSV 或 Excel（.xlsx），首行为表头；先检查，逐行报告问题，无误后一次全部导入。',
    summary: '共 {rows} 行，{problems} 处问题', column: '文件中的列', field: '对应字段', ignored: '不导入', line: '行号', problem: '问题',
    fields: { name: '姓名', id_type: '证件类型', id_number: '证件号码', gender: '性别', birth_date: '出生日期', ethnicity: '民族', phone: '联系电话', household_type: '户籍类型', registered_address: '户籍地址', employer: '工作单位', grid: '网格编码' },
  },
  notifications: { title: '待办提醒', readAll: '全部已读', none: '暂无提醒' },
  attachments: {
    title: '照片与附件', add: '添加照片或文件', added: '已上传', none: '暂无照片或附件', showToReporter: '群众可见',
    limits: '照片（JPEG、PNG、WebP、HEIC）或 PDF，每个不超过 10 MB', addPhotos: '补充现场照片（选填，上报后一天内）',
  },
  public: {
    reportTitle: '群众上报', trackTitle: '进度查询', name: '称呼（选填）', phone: '手机（选填，便于回访）', useLocation: '使用当前位置', located: '已获取位置',
    noPosition: '无法获取位置，请填写地址', privacy: '手机号加密保存，仅工作人员回访时可见。', thanks: '已收到您的反映。请记下查询码：',
    follow: '查看办理进度', find: '查询', comment: '评价意见（选填）', rate: '提交评价', rated: '感谢您的评价', yourRating: '您的评价',
    links: '群众上报 · 进度查询',
  },
  events: {
    title: '事件中心', report: '上报事件', reported: '已上报，查询码 {code}', submit: '上报', titleField: '标题', description: '描述',
    category: '类别', place: '位置', lon: '经度', lat: '纬度', address: '地址', onSpot: '已就地解决', allStatuses: '全部状态',
    openOnly: '仅未结案', overdueOnly: '仅超期', deadline: '时限', statusField: '状态', channel: '来源', reportedAt: '上报时间',
    tracking: '查询码', rework: '返工次数', assignments: '承办部门', due: '时限', note: '处理意见', timeline: '处置过程',
    defaultDepartment: '默认：类别对应的责任部门', duplicateOf: '重复的事件编号', verifyPass: '核查通过，结案', verifyFail: '核查不通过，返工',
    done: '已办理', public: '群众', system: '系统', workingHours: '工作小时', dueIfNow: '现在派遣，处置时限至', exportCsv: '导出 CSV', exportXlsx: '导出 Excel', grant: '同意延期', refuse: '不同意', possibleDuplicates: '疑似重复事件', linkDuplicate: '作为重复件合并',
    colour: { green: '正常', yellow: '临期', red: '超期' },
    stage: { accept: '受理时限', dispatch: '派遣时限', handle: '处置时限' },
    status: { reported: '待受理', accepted: '已受理', dispatched: '已派遣', in_progress: '处置中', handled: '已处置', closed: '已结案', evaluated: '已评价', cancelled: '已作废' },
    assignment: { dispatched: '待签收', in_progress: '处置中', handled: '已处置', returned: '已退回' },
    action: { attach: '添加附件', report: '上报', resolve_on_spot: '就地解决', warning: '临期预警', overdue: '超期', escalate: '升级上报', supervise: '督办', request_extension: '申请延期', decide_extension: '延期审批', reopen: '重新办理', accept: '受理', cancel: '作废', dispatch: '派遣', sign: '签收', return: '退回', handle: '处置完毕', verify: '核查', evaluate: '评价' },
    reason: { invalid: '无效', duplicate: '重复', out_of_scope: '不属于受理范围' },
    rating: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' },
  },
  restructure: {
    history: '沿革', noHistory: '自设立以来未调整', renumber: '重新编号', merge: '合并', split: '拆分', with: '合并对象',
    parts: '拆分方案', newCode: '新编码', reason: '调整原因', retires: '撤销', creates: '新设', confirm: '确认调整',
    done: '已调整，新设 {n} 个节点', badFile: '无法读取该文件（需 GeoJSON 要素集合）', retired: '已撤销',
    hint: {
      renumber: '旧编码保留在历史中，不再使用；编码前缀属于其他社区时，网格划归该社区。下级微网格随之重新编号。',
      merge: '与相邻的同级网格合并为一个新网格，边界取并集；原网格撤销并保留历史。',
      split: '上传 GeoJSON：每个要素为一个新网格（属性 code、name，可选 kind 等），各部分须无缝无叠地覆盖原网格。',
    },
    became: { split: '拆分为 {code}', merge: '并入 {code}', renumber: '重新编号为 {code}', move: '划转为 {code}' },
    came: { split: '由 {code} 拆分而来', merge: '由 {code} 合并而来', renumber: '由 {code} 重新编号而来', move: '由 {code} 划转而来' },
  },
  import: {
    title: '网格导入', hint: 'GeoJSON 要素集合、Shapefile（zip 压缩包）或 GeoPackage：每个要素的属性含 code（编码）、name（名称）、kind（comprehensive/dedicated）、subtype、households、population，几何为边界。先检查，无问题后导入；导入全部成功或全部不写入。',
    gcj02: 'GCJ-02（高德、腾讯）', bd09: 'BD-09（百度）', check: '检查', commit: '导入', done: '已导入 {n} 个节点',
    mapping: '属性对应', mappingHint: '文件里的属性名与上述不同时填写，如编码在 WGBM、名称在 NAME', property: '文件中的属性名',
    mapFields: { code: '编码', name: '名称', kind: '类型', parent_code: '上级编码' },
    summary: '{nodes} 个节点，{problems} 个问题，覆盖检查发现 {findings} 处', feature: '要素', field: '字段', message: '问题',
    finding: '发现', codes: '编码',
  },
  audit: { title: '审计日志', at: '时间', actor: '操作人', action: '操作', target: '对象', outcome: '结果', ip: 'IP', filter: '按操作筛选' },
  apiKeys: {
    title: '接口密钥', name: '名称', prefix: '前缀', role: '角色', created: '创建时间', lastUsed: '最近使用', revoked: '已吊销',
    issue: '新建密钥', revoke: '吊销', shownOnce: '请立即复制，密钥只显示这一次：', confirmRevoke: '确定吊销此密钥？',
  },
  account: { title: '我的账户', current: '当前密码', next: '新密码', change: '修改密码', changed: '密码已修改', rule: '至少 8 位，包含大写、小写、数字、符号中的三类' },
  errors: {
    bad_credentials: '账号或密码错误', account_locked: '登录失败次数过多，账号已临时锁定', weak_password: '密码至少 8 位，需包含大写、小写、数字、符号中的三类',
    unauthenticated: '请先登录', session_expired: '登录已过期，请重新登录', forbidden: '无权执行此操作', conflict: '记录已存在',
    version_conflict: '记录已被他人修改，请刷新后重试', invalid_field: '输入有误', missing_field: '缺少必填项', internal: '服务器出错，请稍后再试',
    unavailable: '服务暂不可用', network: '无法连接服务器',
  },
  common: { total: '共 {n} 条', lang: 'English', refresh: '刷新', yes: '是', no: '否' },
};

const en: typeof zh = {
  app: { title: 'Grid Governance Platform', short: 'gridgov' },
  login: {
    title: 'Log in', login: 'Login', password: 'Password', submit: 'Log in', loginRequired: 'Enter your login',
    passwordRequired: 'Enter your password', demoHint: 'Demo logins are printed when the demo starts',
  },
  nav: { home: 'Workbench', events: 'Events', command: 'Command centre', phone: 'Field app', map: 'Grid map', registry: 'Base data', gridImport: 'Grid import', users: 'Users', audit: 'Audit log', apiKeys: 'API keys', account: 'My account', logout: 'Log out' },
  home: {
    welcome: 'Welcome, {name}', role: 'Role', scope: 'Scope', wholeTree: 'Whole city', department: 'Department', none: 'None',
    permissions: 'Permissions', server: 'Server', database: 'Database', version: 'Version',
  },
  users: {
    title: 'Users', search: 'Search login or name', role: 'Role', allRoles: 'All roles', add: 'New user', login: 'Login', name: 'Name',
    phone: 'Phone', active: 'Status', enabled: 'Active', disabled: 'Disabled', locked: 'Locked', actions: 'Actions', edit: 'Edit',
    unlock: 'Unlock', password: 'Initial password', scope: 'Scope node', department: 'Department', save: 'Save', cancel: 'Cancel',
    created: 'Created user {login}', saved: 'Saved', resetPassword: 'Reset password', newPassword: 'New password', passwordSet: 'Password reset',
    reveal: 'Show full number',
  },
  map: {
    search: 'Search name or code', byKind: 'By kind', code: 'Code', kind: 'Kind', households: 'Households', population: 'Population', area: 'Area',
    comprehensive: 'Comprehensive grid', dedicated: 'Dedicated grid', checkCoverage: 'Check coverage', findings: '{n} findings',
    children: '{n} below',
    finding: { gap: 'Gap', overlap: 'Overlap', outside_parent: 'Outside parent', invalid: 'Invalid boundary' },
  },
  admin: {
    edit: 'Edit', workers: 'Grid workers', noWorkers: 'None yet', pickWorker: 'Pick a person', assign: 'Assign', remove: 'Remove', subtype: 'Subtype',
    duty: { full_time: 'Full-time', part_time: 'Part-time', head: 'Grid head' },
    subtypes: { school: 'School', hospital: 'Hospital', market: 'Market', park: 'Park', industrial_park: 'Industrial park', building_complex: 'Building complex', other: 'Other' },
  },
  registry: {
    title: 'Population', name: 'Name', idNumber: 'ID number', phone: 'Phone', gender: 'Gender', birthDate: 'Birth date', age: 'Age', ageYears: '{n} years', householdType: 'Household', state: 'State',
    ethnicity: 'Ethnicity', employer: 'Employer', grid: 'Grid code', gridHint: 'My grid by default', find: 'Find', add: 'Add a person', added: 'Added',
    pickPerson: 'Type a name or an ID number', reveal: 'Show full numbers', revealWhy: 'Say why you need to see them (recorded in the audit log)', verify: 'Verify', groups: 'Special and care groups', homes: 'Homes', history: 'Changes',
    visitEvery: 'visit every {n} days',
    genders: { M: 'Male', F: 'Female' }, household: { registered: 'Registered', floating: 'Floating', overseas: 'Overseas', unregistered: 'Unregistered' },
    states: { collected: 'Collected', verified: 'Verified', flagged: 'Flagged' }, attention: { '01': 'High', '02': 'Medium', '03': 'Low' },
    relation: { owner: 'Owner', family: 'Family', tenant: 'Tenant', other: 'Other' },
    base: 'Base data', roomUse: { self_occupied: 'Self-occupied', rented: 'Rented', vacant: 'Vacant', business: 'Business', unknown: 'Not recorded' },
    figures: {
      title: 'Figures', people: 'People', households: 'Households', rooms: 'Rooms', collected30: 'Collected, 30 days', verified30: 'Verified, 30 days',
      visitsDue: 'Visits due', inspectionsDue: 'Inspections due', licencesExpiring: 'Licences ending in 30 days', roomsByUse: 'Rooms by use',
    },
  },
  places: {
    title: 'Key places', name: 'Name', kind: 'Kind', risk: 'Risk', risks: { high: 'High', medium: 'Medium', low: 'Low' }, contact: 'Contact',
    due: 'Inspection due', add: 'Add a place', lastInspected: 'Last inspected', never: 'Never', every: 'Inspected', everyDays: 'every {n} days', flag: 'Flag',
    inspections: 'Inspections', results: { passed: 'Passed', hazard_found: 'Hazard found', rectified: 'Rectified' }, hazard: 'Hazard', notes: 'Notes',
    record: 'Record', inspected: 'Inspection recorded', when: 'When', result: 'Result', licences: 'Licences', licenceNumber: 'Number',
    validUntil: 'Valid until', addLicence: 'Add a licence',
  },
  orgs: {
    title: 'Organisations', one: 'Organisation', industry: 'Industry', search: 'Name or credit code', name: 'Name', kind: 'Kind', creditCode: 'Credit code', legal: 'Legal representative', employees: 'Employees',
    kinds: { enterprise: 'Enterprise', individual_business: 'Individual business', social_organisation: 'Social organisation', institution: 'Institution' },
  },
  command: {
    today: 'Today', month: 'This month', year: 'This year', byOpen: 'By open', byOverdue: 'By overdue', byClosure: 'By not closed', heat: 'Heat map', bigScreen: 'Big screen',
    baseData: 'Base data', people: 'People', households: 'Households', rooms: 'Rooms', groups: 'Group tags', keyPlaces: 'Key places', organisations: 'Organisations',
    live: 'Live', intake: 'Intake', closedCases: 'Closed', closureRate: 'Closure rate', onTimeRate: 'On time', satisfaction: 'Satisfied', openNow: 'Open',
    overdueNow: 'Overdue', trend: 'Intake and closures, 30 days', reported: 'Reported', closed: 'Closed', openByCategory: 'Open by category', overdueByDepartment: 'Open and overdue by department',
    open: 'Open', overdue: 'Overdue', ranking: 'Ranking below', area: 'Area', intakeShort: 'Intake', screenTitle: 'Grid governance command centre', openPage: 'Full details', noGrid: 'In no grid', gridWorkers: 'Workers of the grid', nearest: 'Nearest workers', neighbours: 'Neighbouring grids (mutual aid)',
  },
  phone: {
    title: 'Field app', online: 'Online', offline: 'Offline', sync: 'Sync', tasks: 'Tasks', report: 'Report', patrol: 'Patrol', passed: 'Passed', notPassed: 'Not passed',
    noTasks: 'Nothing to do', category: 'Choose a category', what: 'What it is', photos: 'Photos', photoCount: '{n} chosen', where: 'Where', locate: 'Locate',
    noPosition: 'No position yet', onSpot: 'Resolved on the spot', send: 'Report', sent: 'Reported', queued: 'Saved; it is sent when the phone is online', fillIn: 'Fill in the category and the title',
    track: 'Patrol track', patrolStart: 'Patrol started', patrolEnd: 'Patrol ended', patrolEnded: 'Patrol ended', onPatrol: 'On patrol', points: '{n} track points',
    checkIns: '{n} check-ins', checkIn: 'Check in', stop: 'End patrol', start: 'Start a patrol', visit: 'Visit log', searchTarget: 'Search', notes: 'Notes',
    findings: 'Findings', reportFinding: 'Report the finding as an event', saveVisit: 'Save the visit', recorded: 'Recorded', pickTarget: 'Choose whom or what you visited',
    kinds: { person: 'Person', household: 'Household', place: 'Place', check_in: 'Check-in' },
    duty: { full_time: 'Full-time worker', part_time: 'Part-time worker', head: 'Grid head' }, openHere: 'Open', overdueHere: 'Overdue',
    pickOnMap: 'Pick on the map', pickedOnMap: 'picked on the map', tapMap: 'Tap the map where it is', usePoint: 'Use this point', finding: 'Finding the grid…', outsideGrids: 'Outside every grid',
  },
  addresses: {
    title: 'Addresses', one: 'Address', search: 'Start of an address, e.g. 永兴路18号', fullName: 'Full address', name: 'Name', level: 'Level', use: 'Use', area: 'Area (m²)',
    levels: { road: 'Road', house: 'House number', compound: 'Compound', building: 'Building', unit: 'Unit', room: 'Room' },
    parent: 'Part of', grid: 'Grid', corrected: 'corrected by hand', floor: 'Floor', under: 'Under this address', residents: 'Residents', relation: 'Relation',
    from: 'From', to: 'To', moveIn: 'Move in', moveOut: 'Move out', saved: 'Saved', room: 'Room',
  },
  households: {
    title: 'Households', one: 'Household', number: 'Household number', kind: 'Kind', kinds: { family: 'Family', collective: 'Collective' }, members: 'Members',
    head: 'Head', relation: 'Relation to the head', add: 'Add a household', join: 'Join', leave: 'Remove',
  },
  importer: {
    title: 'Import', choose: 'Choose a file', check: 'Check', import: 'Import', done: '{n} people imported',
    hint: 'CSV or Excel (.xlsx), a header row first; check first (every line at fault is named), then import all at once.',
    summary: '{rows} lines, {problems} problems', column: 'Column in the file', field: 'Field', ignored: 'Not imported', line: 'Line', problem: 'Problem',
    fields: { name: 'Name', id_type: 'Document type', id_number: 'Document number', gender: 'Gender', birth_date: 'Birth date', ethnicity: 'Ethnicity', phone: 'Phone', household_type: 'Household type', registered_address: 'Registered address', employer: 'Employer', grid: 'Grid code' },
  },
  notifications: { title: 'Notifications', readAll: 'Mark all read', none: 'Nothing new' },
  attachments: {
    title: 'Photos and files', add: 'Add photos or files', added: 'Uploaded', none: 'No photos or files yet', showToReporter: 'Reporter sees it',
    limits: 'Photos (JPEG, PNG, WebP, HEIC) or PDF, up to 10 MB each', addPhotos: 'Add photos of the problem (optional, within a day)',
  },
  public: {
    reportTitle: 'Report a problem', trackTitle: 'Follow a case', name: 'Your name (optional)', phone: 'Phone (optional, for a call back)', useLocation: 'Use my position', located: 'Position taken',
    noPosition: 'No position available; please give the address', privacy: 'Phone numbers are stored encrypted and seen only by staff calling back.', thanks: 'Thank you. Keep this tracking code:',
    follow: 'Follow the case', find: 'Find', comment: 'Comment (optional)', rate: 'Rate', rated: 'Thank you for your rating', yourRating: 'Your rating',
    links: 'Report a problem · Follow a case',
  },
  events: {
    title: 'Events', report: 'Report an event', reported: 'Reported; tracking code {code}', submit: 'Report', titleField: 'Title', description: 'Description',
    category: 'Category', place: 'Place', lon: 'Longitude', lat: 'Latitude', address: 'Address', onSpot: 'Resolved on the spot', allStatuses: 'All states',
    openOnly: 'Open only', overdueOnly: 'Overdue only', deadline: 'Deadline', statusField: 'State', channel: 'Channel', reportedAt: 'Reported',
    tracking: 'Tracking code', rework: 'Rework', assignments: 'Departments', due: 'due', note: 'Note', timeline: 'Timeline',
    defaultDepartment: 'Default: the category\'s department', duplicateOf: 'Id of the event it repeats', verifyPass: 'Verified: close', verifyFail: 'Not done: rework',
    done: 'Done', public: 'Public', system: 'System', workingHours: 'working hours', dueIfNow: 'Dispatched now, due', exportCsv: 'Export CSV', exportXlsx: 'Export Excel', grant: 'Grant', refuse: 'Refuse', possibleDuplicates: 'Possible duplicates', linkDuplicate: 'Link as duplicate',
    colour: { green: 'On time', yellow: 'Due soon', red: 'Overdue' },
    stage: { accept: 'accept by', dispatch: 'dispatch by', handle: 'handle by' },
    status: { reported: 'Reported', accepted: 'Accepted', dispatched: 'Dispatched', in_progress: 'In progress', handled: 'Handled', closed: 'Closed', evaluated: 'Evaluated', cancelled: 'Cancelled' },
    assignment: { dispatched: 'to sign', in_progress: 'in progress', handled: 'handled', returned: 'returned' },
    action: { attach: 'File attached', report: 'Reported', resolve_on_spot: 'Resolved on the spot', warning: 'Deadline near', overdue: 'Overdue', escalate: 'Escalate', supervise: 'Supervise', request_extension: 'Ask for more time', decide_extension: 'Extension decided', reopen: 'Reopen', accept: 'Accept', cancel: 'Cancel', dispatch: 'Dispatch', sign: 'Sign', return: 'Return', handle: 'Handled', verify: 'Verify', evaluate: 'Evaluate' },
    reason: { invalid: 'Invalid', duplicate: 'Duplicate', out_of_scope: 'Out of scope' },
    rating: { satisfied: 'Satisfied', basically_satisfied: 'Basically satisfied', unsatisfied: 'Unsatisfied' },
  },
  restructure: {
    history: 'History', noHistory: 'Unchanged since it was set up', renumber: 'Renumber', merge: 'Merge', split: 'Split', with: 'Merge with',
    parts: 'Parts', newCode: 'New code', reason: 'Reason', retires: 'Retires', creates: 'Creates', confirm: 'Confirm',
    done: 'Done: {n} new node(s)', badFile: 'Cannot read that file (a GeoJSON FeatureCollection is needed)', retired: 'Retired',
    hint: {
      renumber: 'The old code stays in the history and is not reused; a code under another community moves the grid there. Micro-grids are renumbered with it.',
      merge: 'Merges with neighbouring sibling grids into one new grid whose boundary is their union; the old grids are retired and kept.',
      split: 'Upload GeoJSON: each feature is a new grid (properties code, name, optionally kind ...); the parts must cover the grid without gaps or overlaps.',
    },
    became: { split: 'split into {code}', merge: 'merged into {code}', renumber: 'renumbered as {code}', move: 'moved as {code}' },
    came: { split: 'split from {code}', merge: 'merged from {code}', renumber: 'renumbered from {code}', move: 'moved from {code}' },
  },
  import: {
    title: 'Grid import', hint: 'A GeoJSON FeatureCollection, a zipped Shapefile or a GeoPackage: each feature has properties code, name, kind (comprehensive/dedicated), subtype, households, population, and its boundary as geometry. Check first, then import; an import writes everything or nothing.',
    gcj02: 'GCJ-02 (AMap, Tencent)', bd09: 'BD-09 (Baidu)', check: 'Check', commit: 'Import', done: 'Imported {n} nodes',
    mapping: 'Property names', mappingHint: 'Where the file names the fields otherwise, e.g. the code in WGBM and the name in NAME', property: 'Property in the file',
    mapFields: { code: 'Code', name: 'Name', kind: 'Kind', parent_code: 'Parent code' },
    summary: '{nodes} nodes, {problems} problems, {findings} coverage findings', feature: 'Feature', field: 'Field', message: 'Problem',
    finding: 'Finding', codes: 'Codes',
  },
  audit: { title: 'Audit log', at: 'Time', actor: 'Actor', action: 'Action', target: 'Target', outcome: 'Outcome', ip: 'IP', filter: 'Filter by action' },
  apiKeys: {
    title: 'API keys', name: 'Name', prefix: 'Prefix', role: 'Role', created: 'Created', lastUsed: 'Last used', revoked: 'Revoked',
    issue: 'New key', revoke: 'Revoke', shownOnce: 'Copy it now; the key is shown only once:', confirmRevoke: 'Revoke this key?',
  },
  account: { title: 'My account', current: 'Current password', next: 'New password', change: 'Change password', changed: 'Password changed', rule: 'At least 8 characters from three of: upper case, lower case, digits, symbols' },
  errors: {
    bad_credentials: 'Wrong login or password', account_locked: 'Too many failed logins; the account is locked for a while', weak_password: 'At least 8 characters from three of: upper case, lower case, digits, symbols',
    unauthenticated: 'Log in first', session_expired: 'Your session has expired; log in again', forbidden: 'You may not do this', conflict: 'That record exists already',
    version_conflict: 'Someone else changed this record; reload and try again', invalid_field: 'Check your input', missing_field: 'A required field is missing', internal: 'Something went wrong on the server',
    unavailable: 'The service is not available', network: 'Cannot reach the server',
  },
  common: { total: '{n} in all', lang: '中文', refresh: 'Refresh', yes: 'Yes', no: 'No' },
};

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('gridgov.locale') : null;

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
});

export function setLocale(locale: 'zh-CN' | 'en') {
  i18n.global.locale.value = locale;
  localStorage.setItem('gridgov.locale', locale);
  document.documentElement.lang = locale;
}

// The message for an API error: the translated code, or the server's own message.
export function errorText(e: unknown): string {
  const t = i18n.global.t;
  if (e && typeof e === 'object' && 'code' in e) {
    const err = e as { code: string; message: string; field?: string };
    const key = `errors.${err.code}`;
    const text = i18n.global.te(key) ? t(key) : err.message;
    return err.field && err.code !== 'weak_password' ? `${text}（${err.field}）` : text;
  }
  return t('errors.network');
}
