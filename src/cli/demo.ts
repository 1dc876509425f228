// `fidelio demo`: placeholder until the demo generator lands (being written now).
import type { Command } from 'commander';

export function registerDemo(_program: Command): void {}
