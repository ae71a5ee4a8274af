import { useTranslation } from 'react-i18next';
import { languages } from '../i18n';

/** Switches the language; `onChange` lets a signed-in page remember the choice for the party. */
export function LanguageSwitch({ onChange }: { onChange?: (language: string) => void }) {
  const { t, i18n } = useTranslation();
  const current = i18n.language;
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">{t('language.label')}</legend>
      {languages.map((language) => (
        <button
          key={language}
          type="button"
          lang={language === 'zh' ? 'zh-CN' : 'en'}
          aria-pressed={current === language}
          onClick={() => {
            void i18n.changeLanguage(language);
            onChange?.(language);
          }}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </fieldset>
  );
}
