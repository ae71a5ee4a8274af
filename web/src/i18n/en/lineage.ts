/** English: the lineage picture of a receivable (from the confirmed root to every part). */
export const lineage = {
  title: 'Receivable lineage',
  label:
    'Lineage of the receivable held by {{holder}}: from the confirmed receivable to all {{count}} parts, left to right; the requested receivable is highlighted.',
  summaryHeading: 'The lineage in words',
  node: '{{holder}}: {{amount}}, {{status}}, tier {{tier}}',
  requested: 'the requested receivable',
  tier: 'Tier {{tier}}',
  legendRequested: 'Requested receivable',
  legendOther: 'Other parts',
  missing: 'No receivable given: the address is #/lineage/<receivable id>.',
  back: 'Back',
};

export type LineageMessages = typeof lineage;
