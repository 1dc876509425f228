// Plausible company names built from syllables, with a legal suffix that fits the account's country.
import type { Rng } from './random.js';

const HEADS = [
  'Ver',
  'Nex',
  'Sol',
  'Ari',
  'Quo',
  'Zen',
  'Bri',
  'Lu',
  'Dra',
  'Cor',
  'Vi',
  'Mo',
  'Ka',
  'Tel',
  'Ori',
];
const MIDDLES = ['ta', 'lo', 'ma', 'ri', 'no', 'va', 'de', 'si', 'ga', 'len', 'ter', 'mi'];
const TAILS = ['x', 'na', 'ro', 'lia', 'tech', 'via', 'ra', 'go', 'nia', 'us', 'ia', 'io'];
const WORDS = [
  'Labs',
  'Systems',
  'Logistics',
  'Foods',
  'Studio',
  'Health',
  'Analytics',
  'Partners',
  'Digital',
  'Works',
  'Retail',
  'Energy',
  'Travel',
  'Finance',
];
const LEGAL: Record<string, readonly string[]> = {
  US: [' Inc.', ', Inc.', ' LLC', ' Corp.'],
  GB: [' Ltd', ' Ltd', ' plc'],
  DE: [' GmbH', ' GmbH', ' AG'],
  FR: [' SAS', ' SARL', ' SA'],
  IT: [' S.r.l.', ' S.p.A.', ' S.r.l.'],
  MY: [' Sdn Bhd', ' Sdn. Bhd.', ' Berhad'],
  NL: [' B.V.', ' B.V.', ' N.V.'],
  ES: [' S.L.', ' S.A.'],
};

/** e.g. "Veloria Analytics S.r.l." or "Quonex, Inc." (a comma that the CSV writer must quote). */
export function companyName(rng: Rng, country: string): string {
  let name = rng.pick(HEADS) + (rng.chance(0.5) ? rng.pick(MIDDLES) : '') + rng.pick(TAILS);
  if (rng.chance(0.55)) name += ` ${rng.pick(WORDS)}`;
  const legal = LEGAL[country];
  return legal && rng.chance(0.7) ? name + rng.pick(legal) : name;
}
