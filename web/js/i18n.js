// Strings in Chinese (first) and English, the chosen language, and dates in the community's time zone.
// The organisers' console keeps its strings in i18n-console.js, under `console`.

import { consoleEn, consoleZh } from './i18n-console.js';

const STORAGE_KEY = 'linli.lang';
export const LANGS = { zh: 'zh-CN', en: 'en' };

const zh = {
  skipLink: '跳到主要内容',
  siteName: '邻里',
  navLabel: '网站导航',
  navEvents: '活动',
  navMine: '我的报名',
  switchTo: 'English',
  footer: '幸福邻里社区服务 · 如需帮助，请到社区活动室或联系网格员',
  loading: '正在加载…',
  retry: '重试',
  back: '返回活动列表',
  pageTitle: (v) => `${v.page} · 邻里`,

  landingTitle: '欢迎来到邻里',
  landingIntro: '请用手机扫描社区张贴的二维码，或打开社区工作人员发给您的链接，就能看到本社区的活动并报名。',
  landingCodeLabel: '已经知道社区代码？',
  landingCodeHint: '社区代码写在二维码海报下方，例如 xingfu',
  landingCodeGo: '打开社区活动',
  landingCodeInvalid: '社区代码是 2 到 40 个小写字母、数字或“-”',
  landingMine: '以前在这部手机上报过名？',
  landingLink: '输入社区代码',

  eventsTitle: '近期活动',
  eventsEmpty: '目前没有可以报名的活动，请过几天再来看看。',
  eventsMore: '显示更多活动',
  when: '时间',
  where: '地点',
  seats: '名额',
  seatsLeft: (v) => `剩余 ${v.n} 个名额`,
  fullWaitlist: '已满，可候补',
  waitlistLength: (v) => `已有 ${v.n} 人在候补`,
  cancelled: '已取消',
  notOpenYet: (v) => `报名将于 ${v.time} 开始`,
  closed: '报名已截止',
  register: '报名',
  registerWaitlist: '报名候补',
  registerFor: (v) => `：${v.title}`,

  formTitle: '填写报名信息',
  formIntro: '带 * 的为必填项。您的电话号码只用于活动联系，不会公开。',
  formFullNotice: '名额已满。现在提交会进入候补名单，有人取消时按先后顺序递补，递补成功后就算报名成功。',
  optional: '（选填）',
  nameLabel: '姓名',
  nameHint: '请填写真实姓名或常用称呼',
  phoneLabel: '手机号码',
  phoneHint: '例如 138 0013 8000，活动有变动时联系您',
  partyLabel: '参加人数（含本人）',
  partyHint: (v) => `每次最多 ${v.n} 人`,
  partyOption: (v) => `${v.n} 人`,
  buildingLabel: '楼栋门牌',
  buildingHint: '例如 3 栋 2 单元 501',
  noteLabel: '备注',
  noteHint: '例如 需要轮椅位、带小孩参加',
  honeypotLabel: '请勿填写此项',
  submit: '提交报名',
  submitWaitlist: '提交，进入候补',
  submitting: '正在提交…',
  summaryTitle: '请检查以下内容',

  doneConfirmed: '报名成功',
  doneConfirmedText: '您已报名成功，请按时参加。',
  doneWaitlisted: '已进入候补',
  waitlistPosition: (v) => `候补第 ${v.n} 位`,
  doneWaitlistedText: '有人取消时会按顺序递补。可以随时用下面的链接查看最新的候补位置。',
  partySize: '人数',
  people: (v) => `${v.n} 人`,
  registrant: '报名人',
  phoneUsed: '手机',
  manageTitle: '请保存您的报名链接',
  manageKeep: '用这个链接可以查看或取消报名。链接只显示这一次，请复制保存，或截图留存。',
  manageSaved: '这部手机也已记住这次报名，可在“我的报名”中找到。',
  manageLinkLabel: '报名管理链接',
  copy: '复制链接',
  copied: '已复制，可以粘贴到微信或短信里保存',
  copyFailed: '无法自动复制，请长按链接手动复制',
  openManage: '打开报名管理页面',
  moreEvents: '查看其他活动',

  manageHeading: '我的报名详情',
  statusLabel: '报名状态',
  statusConfirmed: '报名成功',
  statusWaitlisted: (v) => `候补中 · 第 ${v.n} 位`,
  statusWaitlistedNoPos: '候补中',
  statusCancelled: '已取消',
  eventCancelledNote: '这个活动已被社区取消，给您带来不便，敬请谅解。',
  eventGone: '活动信息已不可查看。',
  refresh: '刷新状态',
  cancelButton: '取消报名',
  cancelConfirmTitle: '确定要取消报名吗？',
  cancelConfirmText: '取消后名额会让给其他邻居，不能恢复。如果还想参加，需要重新报名。',
  cancelYes: '确定取消',
  cancelNo: '不取消，返回',
  cancelling: '正在取消…',
  cancelDone: '报名已取消。谢谢您及时告诉我们。',

  mineTitle: '我的报名',
  mineIntro: '这里列出在这部手机上的活动报名和延时服务预约。换了手机请使用当时保存的链接。',
  mineEmpty: '这部手机上还没有报名记录。',
  mineView: '查看或取消',
  mineForget: '从这部手机移除',
  mineForgetNote: '只会从这部手机上移除记录，不会取消报名。',

  tabsLabel: '社区服务',
  tabEvents: '活动报名',
  tabDesk: '延时服务预约',

  deskTitle: '每晚一小时延时服务',
  deskIntro: '每天晚上，社区志愿者在活动室值守一小时，帮邻居修小家电、通下水道、调解邻里纠纷等。请选一个晚上预约。',
  deskEmpty: '目前没有可以预约的晚上，请过几天再来看看。',
  deskMore: '显示更多日期',
  date: '日期',
  deskFull: '已约满',
  deskFullHint: '这天晚上已约满，请选择其他日期。',
  deskOver: '这天晚上的服务已结束',
  deskBook: '预约',

  deskBack: '返回日期列表',
  deskFormTitle: '预约延时服务',
  deskFormSection: '填写预约信息',
  deskFormIntro: '带 * 的为必填项。您的电话号码只用于联系您，不会公开。',
  categoryLabel: '需要哪方面的帮助',
  categoryHint: '请选一项',
  descriptionLabel: '问题描述',
  descriptionHint: '简单说说情况，例如：电饭煲不加热、厨房下水道堵了',
  deskSubmit: '提交预约',
  deskSeeOthers: '查看其他日期',
  categories: {
    appliance_repair: '家电维修',
    pipe_unclogging: '管道疏通',
    hardship_assistance: '困难家庭帮扶',
    security_patrol: '治安巡逻值守',
    dispute_mediation: '邻里纠纷协调',
    greening_sanitation: '绿化环境卫生',
    other: '其他',
  },
  categoryHints: {
    appliance_repair: '电饭煲、电风扇、洗衣机等家用电器',
    pipe_unclogging: '下水道、马桶、水池堵塞',
    hardship_assistance: '困难家庭、独居老人的生活帮扶',
    security_patrol: '楼道安全、可疑情况、夜间值守',
    dispute_mediation: '噪音、漏水、停车等邻里矛盾',
    greening_sanitation: '绿化、垃圾、楼道卫生',
    other: '其他需要帮忙的事',
  },

  deskDone: '预约成功',
  deskDoneText: (v) => `您预约的是“${v.category}”。请按时到活动地点找值班志愿者。`,
  category: '服务类别',
  problem: '问题描述',
  bookedBy: '预约人',
  building: '楼栋门牌',
  deskKeepTitle: '请保存您的预约链接',
  deskKeep: '用这个链接可以查看或取消预约。链接只显示这一次，请复制保存，或截图留存。',
  deskSaved: '这部手机也已记住这次预约，可在“我的报名”中找到。',
  deskLinkLabel: '预约管理链接',
  deskOpenManage: '打开预约管理页面',

  deskManageHeading: '我的延时服务预约',
  deskStatusLabel: '预约状态',
  deskStatusBooked: '已预约',
  deskSlotGone: '这个晚上的信息已不可查看，可能已结束或已取消。',
  deskCancelButton: '取消预约',
  deskCancelConfirmTitle: '确定要取消预约吗？',
  deskCancelConfirmText: '取消后名额会让给其他邻居。如果还需要帮助，可以重新预约。',
  deskCancelDone: '预约已取消。谢谢您及时告诉我们。',

  mineKindEvent: '活动报名',
  mineKindDesk: '每晚一小时延时服务',
  mineDeskTitle: (v) => `延时服务预约：${v.category}`,

  landingVolunteer: '社区志愿者？',
  navVolunteer: '志愿者入口',
  navConsole: '组织者入口',

  volunteerTitle: '志愿者',
  signInTitle: '志愿者入口',
  signInIntro: '第一次使用时，请粘贴组织者给您的志愿者码，这部手机会记住它。以后打开这个页面，就能签到、签退，查看服务时长和积分，在积分超市兑换物品。',
  tokenLabel: '志愿者码',
  tokenHint: '组织者给您的志愿者码，以 vt_ 开头',
  signIn: '进入',
  scanHint: '也可以用手机相机扫描组织者给您的志愿者二维码，扫码后会自动进入。',
  tokenKeep: '志愿者码就像家门钥匙，请不要发给别人。',
  signedOut: '已在这部手机上退出。需要时可以重新扫描二维码或粘贴志愿者码。',

  greeting: (v) => `您好，${v.name}`,
  shiftNow: '当前值班',
  shiftNext: '下一次值班',
  noShift: '您最近没有值班安排。想参加值班，请联系组织者。',
  checkIn: '签到',
  checkOut: '签退',
  checkInHint: '值班开始前 30 分钟起可以签到。',
  checkInOpensAt: (v) => `${v.time} 起可以签到。`,
  checkOutHint: '离开时请点“签退”，组织者审核后计入服务时长和积分。',
  checkedIn: '已签到',
  checkedInAt: (v) => `签到时间：${v.time}`,
  servedFor: (v) => `已服务 ${v.duration}`,
  checkInDone: '签到成功。离开时请记得签退。',
  checkOutDone: (v) => `签退成功：本次服务 ${v.duration}，等待组织者审核。`,
  shiftsTitle: '我的值班安排',
  addToCalendar: '加入日历',
  calendarHint: '下载我的值班安排，用手机日历打开即可加入。',
  calendarDone: '已下载值班日历文件，请用手机日历打开。',

  statsTitle: '我的时长和积分',
  hoursApproved: '服务时长（已通过）',
  hoursPending: '待审核',
  pointsBalance: '积分余额',
  points: (v) => `${v.n} 积分`,
  pointsSigned: (v) => `${v.n > 0 ? '+' : '−'}${Math.abs(v.n)} 积分`,
  durationText: (v) => (v.hours ? `${v.hours} 小时${v.minutes ? ` ${v.minutes} 分钟` : ''}` : `${v.minutes} 分钟`),

  logsTitle: '最近的服务记录',
  logsEmpty: '还没有服务记录。',
  logsMore: '显示更多记录',
  logTime: '时间',
  logSince: (v) => `${v.time} 签到，还没签退`,
  logMinutes: '时长',
  logPoints: '获得积分',
  organiserNote: '组织者备注',
  autoClosed: '这次没有签退，已按值班结束时间自动签退。',
  logStatus: { open: '服务中', pending: '待审核', approved: '已通过', rejected: '未通过' },

  ledgerTitle: '积分明细',
  ledgerEmpty: '还没有积分记录。',
  ledgerMore: '显示更多明细',
  ledgerKinds: { earn: '志愿服务获得', redeem: '积分超市兑换', refund: '兑换取消，积分退回', adjustment: '组织者调整' },
  pickupCodeShort: (v) => `取货码 ${v.code}`,

  shopTitle: '积分超市',
  shopIntro: '用积分兑换物品，兑换后凭取货码到幸福邻里社区活动室领取。',
  shopEmpty: '积分超市暂时没有物品，请过几天再来看看。',
  shopUnavailable: '积分超市暂时打不开，请稍后再试。',
  itemCost: '所需积分',
  itemStock: '库存',
  stockLeft: (v) => `${v.n} 件`,
  soldOut: '已兑完',
  redeem: '兑换',
  redeemTitle: (v) => `兑换“${v.name}”`,
  quantityLabel: '数量',
  quantityHint: (v) => `每次最多 ${v.n} 件`,
  quantityOption: (v) => `${v.n} 件`,
  redeemCost: (v) => `共需 ${v.cost} 积分，兑换后还剩 ${v.after} 积分。`,
  redeemShort: (v) => `共需 ${v.cost} 积分，您现有 ${v.balance} 积分，还差 ${v.missing} 积分，暂时不能兑换。`,
  redeemYes: '确认兑换',
  redeemNo: '不兑换，返回',
  redeeming: '正在兑换…',
  redeemDone: '兑换成功',
  pickupCode: '取货码',
  redeemDoneText: (v) => `${v.item} × ${v.quantity}，用了 ${v.points} 积分。请凭取货码到社区活动室领取。`,
  balanceNow: (v) => `现在的积分余额：${v.n} 积分`,

  phoneTitle: '这部手机',
  phoneIntro: '这部手机记住了您的志愿者码。借用别人的手机时，用完请退出。',
  signOut: '在这部手机上退出',
  signOutTitle: '确定要在这部手机上退出吗？',
  signOutText: '退出后，这部手机不再记住您的志愿者码。再次使用需要重新扫描二维码或粘贴志愿者码。',
  signOutYes: '确定退出',
  signOutNo: '不退出，返回',
  signingOut: '正在退出…',

  teams: {
    convenience: '惠邻便民队',
    assistance: '暖邻帮扶队',
    patrol: '安邻巡逻队',
    mediation: '睦邻调解队',
    cleaning: '洁邻管护队',
    grid_inspection: '网格“啄木鸟”队',
  },

  errors: {
    validation_failed: '填写的内容有误，请按提示修改。',
    duplicate_registration: '这个手机号已经报过这个活动了。可在“我的报名”中查看，或使用报名时保存的链接。',
    registration_closed: '现在不在报名时间内，无法报名。',
    event_cancelled: '这个活动已取消，无法报名。',
    rate_limited: '操作太频繁了，请等一分钟再试。',
    not_found: '没有找到相关内容，链接可能有误或活动已结束。',
    community_not_found: '没有找到这个社区，请检查链接或社区代码是否正确。',
    forbidden: '这个报名管理链接无效，请检查是否完整复制了链接。',
    unauthorized: '这个报名管理链接不完整，请重新打开保存的链接。',
    invalid_state: '这条报名现在不能这样修改，请刷新后再看。',
    unavailable: '系统正忙，请稍等一会儿再试。',
    network: '网络连接有问题，请检查网络后再试。',
    unknown: '出了点问题，请稍后再试，或到社区活动室求助。',
  },
  fieldErrors: {
    name: '请填写姓名（最多 50 个字）',
    phone: '请填写正确的手机号码，例如 138 0013 8000',
    phoneDuplicate: '这个手机号已经报过这个活动了',
    partySize: (v) => `参加人数请选 1 到 ${v.n} 人`,
    building: '楼栋门牌最多 40 个字',
    note: '备注最多 500 个字',
    website: '请不要填写这一项',
  },
  deskErrors: {
    slot_full: '这天晚上的名额刚刚约满了，请选择其他日期。',
    slot_cancelled: '这天晚上的延时服务已取消，请选择其他日期。',
    invalid_state: '这天晚上的服务已经结束，请选择其他日期。',
    duplicate_registration: '这个手机号已经预约过这天晚上了。可在“我的报名”中查看，或使用预约时保存的链接。',
    not_found: '没有找到这个晚上的服务，可能已结束或已取消。',
  },
  deskManageErrors: {
    not_found: '没有找到这条预约，链接可能有误。',
    forbidden: '这个预约管理链接无效，请检查是否完整复制了链接。',
    unauthorized: '这个预约管理链接不完整，请重新打开保存的链接。',
    invalid_state: '这条预约现在不能取消，请刷新后再看。',
  },
  deskFieldErrors: {
    category: '请选择需要哪方面的帮助',
    description: '请简单描述问题（最多 500 个字）',
    phoneDuplicate: '这个手机号已经预约过这天晚上了',
  },
  volunteerErrors: {
    unauthorized: '这个志愿者码不对，或已经失效。请检查是否完整复制，或向组织者要新的志愿者码。',
    forbidden: '这个志愿者码不能在这里使用，请向组织者要新的志愿者码。',
    tokenRefused: '这部手机记住的志愿者码已经失效（可能组织者换了新码）。请扫描新的二维码或粘贴新的志愿者码。',
    linkRefused: '二维码里的志愿者码不对，或已经失效。请向组织者要新的二维码，或粘贴志愿者码。',
    not_on_shift: '您没有报名这次值班，不能签到。请联系组织者。',
    check_in_window_closed: '现在不在签到时间内：值班开始前 30 分钟起可以签到，值班结束后就不能签到了。',
    already_checked_in: '您已经签到了，不用再签到。',
    not_checked_in: '您现在没有签到，不用签退。',
    slot_cancelled: '这次值班已经取消，不用签到。',
    event_cancelled: '这个活动已经取消，不用签到。',
    insufficient_points: '积分不够，兑换不了。请减少数量，或攒够积分再来。',
    out_of_stock: '库存不够了，请减少数量或换别的物品。',
    not_found: '没有找到，可能已经下架或取消了。请刷新页面再看。',
    validation_failed: '填写的内容有误，请检查后再试。',
  },
  volunteerFieldErrors: {
    token: '请粘贴完整的志愿者码，它以 vt_ 开头',
    tokenRefused: '这个志愿者码不对，或已经失效',
  },
  console: consoleZh,
};

const en = {
  skipLink: 'Skip to main content',
  siteName: 'Linli',
  navLabel: 'Site',
  navEvents: 'Events',
  navMine: 'My registrations',
  switchTo: '中文',
  footer: 'Happy Neighbours community service · For help, visit the community room or call your grid worker',
  loading: 'Loading…',
  retry: 'Try again',
  back: 'Back to the events',
  pageTitle: (v) => `${v.page} · Linli`,

  landingTitle: 'Welcome to Linli',
  landingIntro: "Scan the QR code on your community's notice board, or open the link the community staff sent you, to see your community's events and sign up.",
  landingCodeLabel: 'Know your community code?',
  landingCodeHint: 'It is printed under the QR code, e.g. xingfu',
  landingCodeGo: 'Open community events',
  landingCodeInvalid: 'A community code is 2 to 40 lower-case letters, digits or “-”',
  landingMine: 'Signed up on this phone before?',
  landingLink: 'Enter a community code',

  eventsTitle: 'Upcoming events',
  eventsEmpty: 'There are no events to sign up for right now. Please look again in a few days.',
  eventsMore: 'Show more events',
  when: 'When',
  where: 'Where',
  seats: 'Places',
  seatsLeft: (v) => (v.n === 1 ? '1 place left' : `${v.n} places left`),
  fullWaitlist: 'Full, join the waitlist',
  waitlistLength: (v) => (v.n === 1 ? '1 person waiting' : `${v.n} people waiting`),
  cancelled: 'Cancelled',
  notOpenYet: (v) => `Sign-up opens ${v.time}`,
  closed: 'Sign-up has closed',
  register: 'Sign up',
  registerWaitlist: 'Join the waitlist',
  registerFor: (v) => `: ${v.title}`,

  formTitle: 'Your details',
  formIntro: 'Fields marked * are required. Your phone number is only used to contact you about this event.',
  formFullNotice: 'This event is full. If you sign up now you join the waitlist; places are offered in order when someone cancels, and then you are signed up.',
  optional: ' (optional)',
  nameLabel: 'Name',
  nameHint: 'Your real name or the name people know you by',
  phoneLabel: 'Mobile number',
  phoneHint: 'e.g. 138 0013 8000, so we can reach you if plans change',
  partyLabel: 'Number of people (including you)',
  partyHint: (v) => `Up to ${v.n} people`,
  partyOption: (v) => (v.n === 1 ? '1 person' : `${v.n} people`),
  buildingLabel: 'Building and flat',
  buildingHint: 'e.g. Building 3, Unit 2, 501',
  noteLabel: 'Note',
  noteHint: 'e.g. need a wheelchair space, bringing a child',
  honeypotLabel: 'Leave this empty',
  submit: 'Sign up',
  submitWaitlist: 'Join the waitlist',
  submitting: 'Sending…',
  summaryTitle: 'Please check the following',

  doneConfirmed: 'You are signed up',
  doneConfirmedText: 'Your place is confirmed. See you there.',
  doneWaitlisted: 'You are on the waitlist',
  waitlistPosition: (v) => `Waitlist position ${v.n}`,
  doneWaitlistedText: 'Places are offered in order when someone cancels. Use the link below to see your current position at any time.',
  partySize: 'People',
  people: (v) => (v.n === 1 ? '1 person' : `${v.n} people`),
  registrant: 'Name',
  phoneUsed: 'Phone',
  manageTitle: 'Keep your registration link',
  manageKeep: 'This link lets you check or cancel your registration. It is shown only once: copy it somewhere safe or take a screenshot.',
  manageSaved: 'This phone also remembers it under “My registrations”.',
  manageLinkLabel: 'Registration link',
  copy: 'Copy link',
  copied: 'Copied. Paste it into WeChat or a text message to keep it.',
  copyFailed: 'Could not copy. Press and hold the link to copy it.',
  openManage: 'Open my registration',
  moreEvents: 'See other events',

  manageHeading: 'My registration',
  statusLabel: 'Status',
  statusConfirmed: 'Signed up',
  statusWaitlisted: (v) => `On the waitlist · position ${v.n}`,
  statusWaitlistedNoPos: 'On the waitlist',
  statusCancelled: 'Cancelled',
  eventCancelledNote: 'The community has cancelled this event. We are sorry for the trouble.',
  eventGone: 'The event can no longer be shown.',
  refresh: 'Refresh status',
  cancelButton: 'Cancel my registration',
  cancelConfirmTitle: 'Cancel your registration?',
  cancelConfirmText: 'Your place goes to another neighbour and cannot be given back. To come after all, you would need to sign up again.',
  cancelYes: 'Yes, cancel it',
  cancelNo: 'No, keep it',
  cancelling: 'Cancelling…',
  cancelDone: 'Your registration is cancelled. Thank you for letting us know.',

  mineTitle: 'My registrations',
  mineIntro: 'Events you signed up for and help-desk evenings you booked on this phone. On another phone, use the link you kept.',
  mineEmpty: 'No registrations on this phone yet.',
  mineView: 'View or cancel',
  mineForget: 'Remove from this phone',
  mineForgetNote: 'This only removes it from this phone; it does not cancel the registration.',

  tabsLabel: 'Community services',
  tabEvents: 'Events',
  tabDesk: 'Evening help desk',

  deskTitle: 'Evening help desk',
  deskIntro: 'Every evening, volunteers spend an hour in the community room helping neighbours with small repairs, blocked drains, disputes and more. Choose an evening to book.',
  deskEmpty: 'There are no evenings to book right now. Please look again in a few days.',
  deskMore: 'Show more evenings',
  date: 'Date',
  deskFull: 'Fully booked',
  deskFullHint: 'This evening is fully booked. Please choose another one.',
  deskOver: 'This evening is over',
  deskBook: 'Book',

  deskBack: 'Back to the evenings',
  deskFormTitle: 'Book the help desk',
  deskFormSection: 'Your request',
  deskFormIntro: 'Fields marked * are required. Your phone number is only used to contact you about this booking.',
  categoryLabel: 'What do you need help with?',
  categoryHint: 'Choose one',
  descriptionLabel: 'Describe the problem',
  descriptionHint: 'A few words, e.g. the rice cooker does not heat, the kitchen drain is blocked',
  deskSubmit: 'Book',
  deskSeeOthers: 'See other evenings',
  categories: {
    appliance_repair: 'Appliance repair',
    pipe_unclogging: 'Blocked pipes and drains',
    hardship_assistance: 'Help for families in hardship',
    security_patrol: 'Safety patrol and watch',
    dispute_mediation: 'Disagreements between neighbours',
    greening_sanitation: 'Greenery and cleanliness',
    other: 'Something else',
  },
  categoryHints: {
    appliance_repair: 'Rice cookers, fans, washing machines and other household appliances',
    pipe_unclogging: 'Blocked drains, toilets and sinks',
    hardship_assistance: 'Everyday help for families in hardship and older people living alone',
    security_patrol: 'Stairwell safety, anything suspicious, night watch',
    dispute_mediation: 'Noise, leaks, parking and other disagreements',
    greening_sanitation: 'Plants, rubbish, clean stairwells',
    other: 'Anything else you need a hand with',
  },

  deskDone: 'You are booked',
  deskDoneText: (v) => `You booked: ${v.category}. Please come at this time and ask for the volunteers on duty.`,
  category: 'Help with',
  problem: 'Problem',
  bookedBy: 'Name',
  building: 'Building',
  deskKeepTitle: 'Keep your booking link',
  deskKeep: 'This link lets you check or cancel your booking. It is shown only once: copy it somewhere safe or take a screenshot.',
  deskSaved: 'This phone also remembers it under “My registrations”.',
  deskLinkLabel: 'Booking link',
  deskOpenManage: 'Open my booking',

  deskManageHeading: 'My help-desk booking',
  deskStatusLabel: 'Status',
  deskStatusBooked: 'Booked',
  deskSlotGone: 'This evening can no longer be shown; it may be over or cancelled.',
  deskCancelButton: 'Cancel my booking',
  deskCancelConfirmTitle: 'Cancel your booking?',
  deskCancelConfirmText: 'Your place goes to another neighbour. If you still need help, you can book again.',
  deskCancelDone: 'Your booking is cancelled. Thank you for letting us know.',

  mineKindEvent: 'Event',
  mineKindDesk: 'Evening help desk',
  mineDeskTitle: (v) => `Help desk: ${v.category}`,

  landingVolunteer: 'A community volunteer?',
  navVolunteer: 'Volunteers',
  navConsole: 'Organisers',

  volunteerTitle: 'Volunteers',
  signInTitle: 'Volunteers',
  signInIntro: 'The first time, paste the volunteer code your organiser gave you, and this phone remembers it. Then open this page to check in and out, see your hours and points, and redeem points at the points supermarket.',
  tokenLabel: 'Volunteer code',
  tokenHint: 'The volunteer code your organiser gave you; it starts with vt_',
  signIn: 'Continue',
  scanHint: 'Or scan your volunteer QR code from the organiser with the phone camera: it signs you in by itself.',
  tokenKeep: 'Your volunteer code is like a door key: do not share it.',
  signedOut: 'You are signed out on this phone. To come back, scan your QR code or paste your volunteer code again.',

  greeting: (v) => `Hello, ${v.name}`,
  shiftNow: 'Current shift',
  shiftNext: 'Next shift',
  noShift: 'You have no shifts coming up. To take one, ask your organiser.',
  checkIn: 'Check in',
  checkOut: 'Check out',
  checkInHint: 'Check-in opens 30 minutes before the shift starts.',
  checkInOpensAt: (v) => `Check-in opens ${v.time}.`,
  checkOutHint: 'Tap “Check out” when you leave; your hours and points count once the organiser has reviewed them.',
  checkedIn: 'Checked in',
  checkedInAt: (v) => `Checked in ${v.time}`,
  servedFor: (v) => `On duty for ${v.duration}`,
  checkInDone: 'You are checked in. Remember to check out when you leave.',
  checkOutDone: (v) => `You are checked out: ${v.duration} this time, waiting for the organiser’s review.`,
  shiftsTitle: 'My shifts',
  addToCalendar: 'Add to calendar',
  calendarHint: 'Downloads your shifts; open the file with your phone’s calendar.',
  calendarDone: 'Downloaded. Open the file with your phone’s calendar.',

  statsTitle: 'My hours and points',
  hoursApproved: 'Hours (approved)',
  hoursPending: 'Waiting for review',
  pointsBalance: 'Points balance',
  points: (v) => (v.n === 1 ? '1 point' : `${v.n} points`),
  pointsSigned: (v) => `${v.n > 0 ? '+' : '−'}${Math.abs(v.n)} ${Math.abs(v.n) === 1 ? 'point' : 'points'}`,
  durationText: (v) => (v.hours ? `${v.hours} h${v.minutes ? ` ${v.minutes} min` : ''}` : `${v.minutes} min`),

  logsTitle: 'Recent hours',
  logsEmpty: 'No hours yet.',
  logsMore: 'Show more hours',
  logTime: 'Time',
  logSince: (v) => `Checked in ${v.time}, not yet checked out`,
  logMinutes: 'Length',
  logPoints: 'Points earned',
  organiserNote: 'Organiser’s note',
  autoClosed: 'Not checked out: closed at the end of the shift.',
  logStatus: { open: 'On duty', pending: 'Waiting for review', approved: 'Approved', rejected: 'Not approved' },

  ledgerTitle: 'Points history',
  ledgerEmpty: 'No points yet.',
  ledgerMore: 'Show more',
  ledgerKinds: { earn: 'Volunteering', redeem: 'Points supermarket', refund: 'Redemption cancelled, points returned', adjustment: 'Adjusted by the organiser' },
  pickupCodeShort: (v) => `Pickup code ${v.code}`,

  shopTitle: 'Points supermarket',
  shopIntro: 'Redeem points for goods, then collect them at the community room with the pickup code.',
  shopEmpty: 'There is nothing in the points supermarket right now. Please look again in a few days.',
  shopUnavailable: 'The points supermarket cannot be shown right now. Please try again later.',
  itemCost: 'Cost',
  itemStock: 'In stock',
  stockLeft: (v) => `${v.n} left`,
  soldOut: 'Out of stock',
  redeem: 'Redeem',
  redeemTitle: (v) => `Redeem “${v.name}”`,
  quantityLabel: 'Quantity',
  quantityHint: (v) => `Up to ${v.n} at a time`,
  quantityOption: (v) => String(v.n),
  redeemCost: (v) => `This costs ${v.cost} points; ${v.after} points are left afterwards.`,
  redeemShort: (v) => `This costs ${v.cost} points and you have ${v.balance}: ${v.missing} points short, so it cannot be redeemed yet.`,
  redeemYes: 'Redeem',
  redeemNo: 'No, go back',
  redeeming: 'Redeeming…',
  redeemDone: 'Redeemed',
  pickupCode: 'Pickup code',
  redeemDoneText: (v) => `${v.item} × ${v.quantity} for ${v.points} points. Collect it at the community room with the pickup code.`,
  balanceNow: (v) => `Points balance now: ${v.n}`,

  phoneTitle: 'This phone',
  phoneIntro: 'This phone remembers your volunteer code. On someone else’s phone, sign out when you are done.',
  signOut: 'Sign out on this phone',
  signOutTitle: 'Sign out on this phone?',
  signOutText: 'This phone will forget your volunteer code. To come back you need to scan your QR code or paste your volunteer code again.',
  signOutYes: 'Yes, sign out',
  signOutNo: 'No, stay signed in',
  signingOut: 'Signing out…',

  teams: {
    convenience: 'Neighbourly Services team',
    assistance: 'Helping Hands team',
    patrol: 'Safety Patrol team',
    mediation: 'Mediation team',
    cleaning: 'Clean and Green team',
    grid_inspection: 'Grid “Woodpecker” team',
  },

  errors: {
    validation_failed: 'Some answers need changing. Please follow the notes below.',
    duplicate_registration: 'This mobile number is already signed up for this event. See “My registrations”, or use the link you kept.',
    registration_closed: 'Sign-up is not open at the moment.',
    event_cancelled: 'This event was cancelled, so you cannot sign up.',
    rate_limited: 'Too many tries. Please wait a minute and try again.',
    not_found: 'We could not find that. The link may be wrong or the event may be over.',
    community_not_found: 'We could not find this community. Please check the link or the community code.',
    forbidden: 'This registration link is not valid. Please check that you copied all of it.',
    unauthorized: 'This registration link is incomplete. Please open the link you kept again.',
    invalid_state: 'This registration cannot be changed like that now. Please refresh.',
    unavailable: 'The system is busy. Please wait a moment and try again.',
    network: 'There is a problem with the connection. Please check your network and try again.',
    unknown: 'Something went wrong. Please try again later, or ask at the community room.',
  },
  fieldErrors: {
    name: 'Enter your name (up to 50 characters)',
    phone: 'Enter a valid mobile number, e.g. 138 0013 8000',
    phoneDuplicate: 'This mobile number is already signed up for this event',
    partySize: (v) => `Choose 1 to ${v.n} people`,
    building: 'Building and flat can be up to 40 characters',
    note: 'The note can be up to 500 characters',
    website: 'Leave this field empty',
  },
  deskErrors: {
    slot_full: 'This evening has just been fully booked. Please choose another evening.',
    slot_cancelled: 'The help desk was cancelled for this evening. Please choose another evening.',
    invalid_state: 'This evening is already over. Please choose another evening.',
    duplicate_registration: 'This mobile number already has a booking for this evening. See “My registrations”, or use the link you kept.',
    not_found: 'We could not find this evening. It may be over or cancelled.',
  },
  deskManageErrors: {
    not_found: 'We could not find this booking. The link may be wrong.',
    forbidden: 'This booking link is not valid. Please check that you copied all of it.',
    unauthorized: 'This booking link is incomplete. Please open the link you kept again.',
    invalid_state: 'This booking cannot be cancelled now. Please refresh.',
  },
  deskFieldErrors: {
    category: 'Choose what you need help with',
    description: 'Describe the problem (up to 500 characters)',
    phoneDuplicate: 'This mobile number already has a booking for this evening',
  },
  volunteerErrors: {
    unauthorized: 'This volunteer code is not right or no longer works. Check that you copied all of it, or ask your organiser for a new one.',
    forbidden: 'This volunteer code cannot be used here. Please ask your organiser for a new one.',
    tokenRefused: 'The volunteer code this phone remembered no longer works (the organiser may have issued a new one). Scan the new QR code or paste the new code.',
    linkRefused: 'The volunteer code in that QR code is not right or no longer works. Ask your organiser for a new QR code, or paste your volunteer code.',
    not_on_shift: 'You are not on this shift, so you cannot check in. Please ask your organiser.',
    check_in_window_closed: 'Check-in is not open now: it opens 30 minutes before the shift starts and closes when the shift ends.',
    already_checked_in: 'You are already checked in.',
    not_checked_in: 'You are not checked in, so there is nothing to check out of.',
    slot_cancelled: 'This shift was cancelled: no need to check in.',
    event_cancelled: 'This event was cancelled: no need to check in.',
    insufficient_points: 'Not enough points for this. Choose fewer, or come back when you have more points.',
    out_of_stock: 'Not enough left in stock. Choose fewer, or another item.',
    not_found: 'We could not find that; it may have been withdrawn or cancelled. Please refresh the page.',
    validation_failed: 'Something is not right. Please check and try again.',
  },
  volunteerFieldErrors: {
    token: 'Paste the whole volunteer code; it starts with vt_',
    tokenRefused: 'This volunteer code is not right or no longer works',
  },
  console: consoleEn,
};

const STRINGS = { zh, en };
let lang = readStoredLang();

function readStoredLang() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
  document.documentElement.lang = LANGS[lang];
}

/** The string for `key` (dotted for nested tables) in the current language, with `{…}` values filled in. */
export function t(key, values = {}) {
  const lookup = (table) => key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), table);
  const entry = lookup(STRINGS[lang]) ?? lookup(zh);
  if (typeof entry === 'function') return entry(values);
  return entry ?? key;
}

/** The words for `table.value` (家电维修 for categories.appliance_repair), or the value as it came when there are none. */
export function named(table, value) {
  const name = t(`${table}.${value}`);
  return name === `${table}.${value}` ? String(value) : name;
}

// ---- dates and times, always in the community's time zone ----

function parts(date, timeZone, options) {
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  const out = {};
  for (const part of new Intl.DateTimeFormat(locale, { timeZone, ...options }).formatToParts(date)) out[part.type] = part.value;
  return out;
}

function dayLabel(date, timeZone) {
  const p = parts(date, timeZone, { year: 'numeric', month: lang === 'en' ? 'short' : 'numeric', day: 'numeric', weekday: 'short' });
  const thisYear = parts(new Date(), timeZone, { year: 'numeric' }).year;
  if (lang === 'en') return `${p.weekday} ${p.day} ${p.month}${p.year === thisYear ? '' : ` ${p.year}`}`;
  return `${p.year === thisYear ? '' : `${p.year}年`}${p.month}月${p.day}日 ${p.weekday}`;
}

function timeLabel(date, timeZone) {
  const p = parts(date, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.hour}:${p.minute}`;
}

/** "12月20日 周日 09:00–12:00" / "Sun 20 Dec 09:00–12:00"; the end day is repeated only when it differs. */
export function formatRange(startsAt, endsAt, timeZone) {
  const start = new Date(startsAt);
  if (!endsAt) return `${dayLabel(start, timeZone)} ${timeLabel(start, timeZone)}`;
  return `${dayLabel(start, timeZone)} ${formatTimes(startsAt, endsAt, timeZone)}`;
}

/** "12月20日 周日" / "Sun 20 Dec": the day alone. */
export function formatDay(instant, timeZone) {
  return dayLabel(new Date(instant), timeZone);
}

/** "19:30–20:30": the times alone; the end day is added only when it differs from the start's. */
export function formatTimes(startsAt, endsAt, timeZone) {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const endDay = dayLabel(end, timeZone);
  const endText = endDay === dayLabel(start, timeZone) ? timeLabel(end, timeZone) : `${endDay} ${timeLabel(end, timeZone)}`;
  return `${timeLabel(start, timeZone)}\u2060–\u2060${endText}`; // word joiners: never break at the dash
}

/** "12月1日 周二 21:05" */
export function formatInstant(instant, timeZone) {
  const date = new Date(instant);
  return `${dayLabel(date, timeZone)} ${timeLabel(date, timeZone)}`;
}

/** "2 小时 5 分钟" / "2 h 5 min"; under an hour, the minutes alone. */
export function formatDuration(minutes) {
  const total = Math.max(0, Math.floor(Number(minutes) || 0));
  return t('durationText', { hours: Math.floor(total / 60), minutes: total % 60 });
}

/** "2026年11月" / "November 2026" for a report's month ("2026-11"). */
export function formatMonth(month) {
  const [year, number] = month.split('-').map(Number);
  if (lang === 'en') return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(Date.UTC(year, number - 1, 1));
  return `${year}年${number}月`;
}

// ---- the organiser's date-and-time fields (<input type="datetime-local">), in the community's time zone ----

/** Milliseconds the zone's clock is ahead of UTC at an instant (+08:00 is 28 800 000). */
function zoneOffset(instant, timeZone) {
  const p = {};
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  for (const part of format.formatToParts(new Date(instant))) p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** "2026-12-20T09:00": an instant as the community's clock shows it, for a datetime-local field. */
export function localInputValue(instant, timeZone) {
  const at = Date.parse(instant);
  if (Number.isNaN(at)) return '';
  return new Date(at + zoneOffset(at, timeZone)).toISOString().slice(0, 16);
}

/**
 * "2026-12-20T09:00" on the community's clock as an RFC 3339 instant with the zone's offset
 * ("2026-12-20T09:00:00+08:00"); null when the text is not a date and time.
 */
export function instantFromLocal(value, timeZone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(String(value ?? ''));
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at the guessed instant, asked twice so that a change of offset (summer time) settles.
  let offset = zoneOffset(wall - zoneOffset(wall, timeZone), timeZone);
  offset = zoneOffset(wall - offset, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const zone = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${new Date(wall).toISOString().slice(0, 16)}:00${zone}`;
}
