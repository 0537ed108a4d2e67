import {
  CONFIG_FILE_OPTION,
  defaultText,
  SETTING_DEFINITIONS,
  SETTING_GROUPS,
  type SettingDefinition,
} from './settings-registry';

function row(setting: SettingDefinition): string {
  const flags = [setting.flag, ...(setting.aliases ?? [])].map((name) => `\`--${name}\``).join(' / ');
  const fallback = defaultText(setting);
  const shown = fallback === '—' || fallback.includes(' ') ? fallback : `\`${fallback}\``;
  return `| ${flags} | \`${setting.env}\` | ${shown} | ${setting.help} |`;
}

/**
 * The README's flag table, one table per docs group, written from the settings registry by
 * `npm run docs` (and checked against the README by a unit test).
 */
export function settingsMarkdownTable(): string {
  const parts: string[] = [];
  for (const group of SETTING_GROUPS) {
    const settings = SETTING_DEFINITIONS.filter((setting) => setting.group === group);
    if (settings.length === 0) continue;
    parts.push(`**${group}**`, '', '| flag | env | default | meaning |', '| --- | --- | --- | --- |');
    parts.push(...settings.map(row));
    if (group === CONFIG_FILE_OPTION.group) {
      parts.push(
        `| \`--${CONFIG_FILE_OPTION.flag}\` | \`${CONFIG_FILE_OPTION.env}\` | — | ${CONFIG_FILE_OPTION.help} |`,
      );
    }
    parts.push('');
  }
  return parts.join('\n').trimEnd();
}
