import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SHIPPED_BROKER_NODE_OPTIONS } from './shipped-node-options';

it('the benchmark starts its brokers with the options npm run broker uses', () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(scripts.broker).toBe(`node ${SHIPPED_BROKER_NODE_OPTIONS} --import tsx src/broker/main.ts`);
});
