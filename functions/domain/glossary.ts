/**
 * The glossary (DESIGN.md): the evening help desk's categories and the six resident volunteer
 * teams, each with its API id and its Chinese and English names, in the order they are shown.
 * The one place they are declared: the ids' enums (domain types, zod schemas, so the OpenAPI
 * document), the messages' words and the pages' web/js/glossary.js (written from here by
 * `npm run glossary`; a unit test fails when it is stale) all come from these two lists.
 */

/** What residents can ask the evening help desk for, in the order the form offers them; volunteers list them as skills. */
export const CATEGORY_GLOSSARY = [
  { id: 'appliance_repair', zh: '家电维修', en: 'Appliance repair' },
  { id: 'pipe_unclogging', zh: '管道疏通', en: 'Blocked pipes and drains' },
  { id: 'hardship_assistance', zh: '困难家庭帮扶', en: 'Help for families in hardship' },
  { id: 'security_patrol', zh: '治安巡逻值守', en: 'Safety patrol and watch' },
  { id: 'dispute_mediation', zh: '邻里纠纷协调', en: 'Disagreements between neighbours' },
  { id: 'greening_sanitation', zh: '绿化环境卫生', en: 'Greenery and cleanliness' },
  { id: 'other', zh: '其他', en: 'Something else' },
] as const;

/** The six resident volunteer teams, in the order the community lists them. */
export const TEAM_GLOSSARY = [
  { id: 'convenience', zh: '惠邻便民队', en: 'Neighbourly Services team' },
  { id: 'assistance', zh: '暖邻帮扶队', en: 'Helping Hands team' },
  { id: 'patrol', zh: '安邻巡逻队', en: 'Safety Patrol team' },
  { id: 'mediation', zh: '睦邻调解队', en: 'Mediation team' },
  { id: 'cleaning', zh: '洁邻管护队', en: 'Clean and Green team' },
  { id: 'grid_inspection', zh: '网格“啄木鸟”队', en: 'Grid “Woodpecker” team' },
] as const;

export interface GlossaryEntry {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
}

/** The ids of a glossary list, in its order, typed as the tuple of their literals (for z.enum). */
function idsOf<const T extends readonly GlossaryEntry[]>(entries: T): { readonly [K in keyof T]: T[K]['id'] } {
  return entries.map((entry) => entry.id) as { readonly [K in keyof T]: T[K]['id'] };
}

/** id → name in one language. */
function namesIn<T extends GlossaryEntry>(entries: readonly T[], lang: 'zh' | 'en'): Readonly<Record<T['id'], string>> {
  return Object.fromEntries(entries.map((entry) => [entry.id, entry[lang]])) as Record<T['id'], string>;
}

export const HELP_CATEGORIES = idsOf(CATEGORY_GLOSSARY);
export type HelpCategory = (typeof HELP_CATEGORIES)[number];

export const TEAMS = idsOf(TEAM_GLOSSARY);
export type Team = (typeof TEAMS)[number];

export const CATEGORY_NAMES_ZH = namesIn(CATEGORY_GLOSSARY, 'zh');
export const TEAM_NAMES_ZH = namesIn(TEAM_GLOSSARY, 'zh');
