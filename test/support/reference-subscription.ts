// A brute-force reading of KPI-SPEC §3–4 for tests: per account, per instant, no rollups, no SQL.

export interface Change {
  account: string;
  at: number; // epoch ms
  mrr: number;
}

/** MRR_a(t): the mrr of the account's latest change strictly before t, else 0. */
export function mrrAt(changes: readonly Change[], account: string, t: number): number {
  let latest: Change | undefined;
  for (const c of changes) {
    if (c.account === account && c.at < t && (!latest || c.at > latest.at)) latest = c;
  }
  return latest?.mrr ?? 0;
}

export interface ReferencePeriod {
  mrrStart: number;
  mrrEnd: number;
  activeStart: string[];
  activeEnd: string[];
  joined: string[];
  moved: Record<'new' | 'reactivation' | 'expansion' | 'contraction' | 'churn', number>;
  accountsWith: Record<'new' | 'reactivation' | 'churn', Set<string>>;
  nrrNumerator: number;
  grrNumerator: number;
}

export function referencePeriod(
  changes: readonly Change[],
  accounts: readonly string[],
  start: number,
  end: number,
) {
  const active = (a: string, t: number) => mrrAt(changes, a, t) > 0;
  const activeStart = accounts.filter((a) => active(a, start));
  const activeEnd = accounts.filter((a) => active(a, end));
  const period: ReferencePeriod = {
    mrrStart: accounts.reduce((s, a) => s + mrrAt(changes, a, start), 0),
    mrrEnd: accounts.reduce((s, a) => s + mrrAt(changes, a, end), 0),
    activeStart,
    activeEnd,
    joined: activeEnd.filter((a) => !activeStart.includes(a)),
    moved: { new: 0, reactivation: 0, expansion: 0, contraction: 0, churn: 0 },
    accountsWith: { new: new Set(), reactivation: new Set(), churn: new Set() },
    nrrNumerator: activeStart.reduce((s, a) => s + mrrAt(changes, a, end), 0),
    grrNumerator: activeStart.reduce(
      (s, a) => s + Math.min(mrrAt(changes, a, end), mrrAt(changes, a, start)),
      0,
    ),
  };
  for (const c of changes.filter((x) => x.at >= start && x.at < end)) {
    const old = mrrAt(changes, c.account, c.at);
    const everActive = changes.some((x) => x.account === c.account && x.at < c.at && x.mrr > 0);
    if (old === 0 && c.mrr > 0) {
      const kind = everActive ? 'reactivation' : 'new';
      period.moved[kind] += c.mrr;
      period.accountsWith[kind].add(c.account);
    } else if (old > 0 && c.mrr > old) period.moved.expansion += c.mrr - old;
    else if (old > 0 && c.mrr > 0 && c.mrr < old) period.moved.contraction += old - c.mrr;
    else if (old > 0 && c.mrr === 0) {
      period.moved.churn += old;
      period.accountsWith.churn.add(c.account);
    }
  }
  return period;
}
