/**
 * i18next with every screen's messages bundled (they are small, and a console that fetched its words
 * would flash untranslated keys). Each area keeps its own file per language: en/<area>.ts sets the
 * shape, and zh/<area>.ts must match it key for key (TypeScript checks).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { auditor as enAuditor } from './en/auditor';
import { common as enCommon } from './en/common';
import { core as enCore } from './en/core';
import { exposure as enExposure } from './en/exposure';
import { financing as enFinancing } from './en/financing';
import { lineage as enLineage } from './en/lineage';
import { supplier as enSupplier } from './en/supplier';
import { auditor as zhAuditor } from './zh/auditor';
import { common as zhCommon } from './zh/common';
import { core as zhCore } from './zh/core';
import { exposure as zhExposure } from './zh/exposure';
import { financing as zhFinancing } from './zh/financing';
import { lineage as zhLineage } from './zh/lineage';
import { supplier as zhSupplier } from './zh/supplier';

export const languages = ['zh', 'en'] as const;
export type Language = (typeof languages)[number];

export const resources = {
  en: {
    common: enCommon,
    core: enCore,
    supplier: enSupplier,
    exposure: enExposure,
    lineage: enLineage,
    financing: enFinancing,
    auditor: enAuditor,
  },
  zh: {
    common: zhCommon,
    core: zhCore,
    supplier: zhSupplier,
    exposure: zhExposure,
    lineage: zhLineage,
    financing: zhFinancing,
    auditor: zhAuditor,
  },
} as const;

/** The browser's preference when it is Chinese or English, else Chinese (the platform's home market). */
export function defaultLanguage(): Language {
  const preferred = navigator.languages.map((tag) => tag.toLowerCase().slice(0, 2));
  return preferred.find((tag): tag is Language => (languages as readonly string[]).includes(tag)) ?? 'zh';
}

export function localeOf(language: string): string {
  return language === 'en' ? 'en-GB' : 'zh-CN';
}

export function setDocumentLanguage(language: string): void {
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources,
  lng: defaultLanguage(),
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: Object.keys(resources.en),
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
setDocumentLanguage(i18n.language);
i18n.on('languageChanged', setDocumentLanguage);
