// `fidelio start` (npm start): placeholder until the report command lands.
import type { Command } from 'commander';

export function registerStart(_program: Command): void {}
