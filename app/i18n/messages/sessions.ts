// Messages of the sessions area (studios, groups, group sessions, calendars). Keys start with "sessions.".
const en = {
  "sessions.title": "Group sessions",
} as const;

const zhCN = {
  "sessions.title": "小组活动",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
