// `fidelio report`: placeholder until the KPI engine lands.
import type { Command } from 'commander';

export function registerReport(_program: Command): void {}
