/** 中文：应收账款拆分链路图（从确认的原始应收账款到每一个拆分部分）。 */
import type { LineageMessages } from '../en/lineage';

export const lineage: LineageMessages = {
  title: '应收账款链路',
  label:
    '{{holder}} 持有的应收账款链路：从已确认的应收账款到全部 {{count}} 个部分，从左到右；所查询的应收账款已突出显示。',
  summaryHeading: '链路的文字说明',
  node: '{{holder}}：{{amount}}，{{status}}，第 {{tier}} 级',
  requested: '所查询的应收账款',
  tier: '第 {{tier}} 级',
  legendRequested: '所查询的应收账款',
  legendOther: '其他部分',
  missing: '未指定应收账款：地址格式为 #/lineage/<应收账款编号>。',
  back: '返回',
};
