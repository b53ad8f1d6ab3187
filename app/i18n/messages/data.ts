// Messages of the data area: Data in and out (imports, exports). Keys start with "data.".
const en = {
  "data.title": "Data in and out (imports, exports)",
} as const;

const zhCN = {
  "data.title": "数据导入与导出",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
