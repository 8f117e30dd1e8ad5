import { describe, expect, it } from 'vitest';
import { pageScheme } from './launch-bar-scheme';

const look = (backgrounds: string[], rootColorScheme = 'normal', systemDark = false) => ({ backgrounds, rootColorScheme, systemDark });

describe('pageScheme', () => {
  it('follows the page, not the system: a light EHR gets a light bar in dark mode', () => {
    expect(pageScheme(look(['rgb(255, 255, 255)'], 'normal', true))).toBe('light');
    expect(pageScheme(look(['rgb(240, 244, 245)'], 'light dark', true))).toBe('light');
  });

  it('is dark on a dark page, whatever the system prefers', () => {
    expect(pageScheme(look(['rgb(29, 35, 39)'], 'normal', false))).toBe('dark');
    expect(pageScheme(look(['rgba(0, 0, 0, 0)', 'rgb(18, 18, 18)']))).toBe('dark');
  });

  it('looks past a transparent body to the root, then to the canvas the root\'s color-scheme gives', () => {
    expect(pageScheme(look(['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'], 'dark'))).toBe('light');
    expect(pageScheme(look(['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)'], 'dark'))).toBe('dark');
    expect(pageScheme(look(['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)'], 'normal', true))).toBe('light');
    expect(pageScheme(look(['rgba(0, 0, 0, 0)'], 'light dark', true))).toBe('dark');
    expect(pageScheme(look(['rgba(0, 0, 0, 0)'], 'light dark', false))).toBe('light');
    expect(pageScheme(look([], 'only dark'))).toBe('dark');
  });

  it('ignores a mostly transparent tint and colours it cannot read', () => {
    expect(pageScheme(look(['rgba(0, 0, 0, 0.1)', 'rgb(250, 250, 250)']))).toBe('light');
    expect(pageScheme(look(['color(srgb 0 0 0)', 'rgb(10 10 10 / 100%)']))).toBe('dark');
  });
});
