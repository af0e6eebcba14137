// GENERATED from functions/domain/glossary.ts by `npm run glossary`: edit that file, not this one
// (a unit test fails when this one is stale). The help desk's categories and the six volunteer
// teams, in the order the pages show them, each with its API id and its Chinese and English names.

/** What residents can ask the evening help desk for, in the order the form offers them. */
export const CATEGORIES = [
  { id: 'appliance_repair', zh: '家电维修', en: 'Appliance repair' },
  { id: 'pipe_unclogging', zh: '管道疏通', en: 'Blocked pipes and drains' },
  { id: 'hardship_assistance', zh: '困难家庭帮扶', en: 'Help for families in hardship' },
  { id: 'security_patrol', zh: '治安巡逻值守', en: 'Safety patrol and watch' },
  { id: 'dispute_mediation', zh: '邻里纠纷协调', en: 'Disagreements between neighbours' },
  { id: 'greening_sanitation', zh: '绿化环境卫生', en: 'Greenery and cleanliness' },
  { id: 'other', zh: '其他', en: 'Something else' },
];

/** The six resident volunteer teams, in the order the community lists them. */
export const TEAMS = [
  { id: 'convenience', zh: '惠邻便民队', en: 'Neighbourly Services team' },
  { id: 'assistance', zh: '暖邻帮扶队', en: 'Helping Hands team' },
  { id: 'patrol', zh: '安邻巡逻队', en: 'Safety Patrol team' },
  { id: 'mediation', zh: '睦邻调解队', en: 'Mediation team' },
  { id: 'cleaning', zh: '洁邻管护队', en: 'Clean and Green team' },
  { id: 'grid_inspection', zh: '网格“啄木鸟”队', en: 'Grid “Woodpecker” team' },
];
