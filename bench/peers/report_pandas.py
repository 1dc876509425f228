#!/usr/bin/python3
"""Pandas peer: the KPIs shared with the plain-SQL peer (KPI-SPEC §3-§4), per month and segment, from a CSV folder.

Usage: report_pandas.py DIR --from 2023-12-01 --to 2026-12-01 [--repeat 5] [--out FILE]
Reads the CSVs once (timed as "load"), computes the report once as a warm-up and then --repeat times
(each timed), and writes {load_s, runs_s, peak_rss_mb, rows} as JSON to --out (or stdout).
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

TRUE_WORDS = {"true", "1", "yes"}
# Id columns are read as categories: pandas then hashes each distinct id once, at load.
ID_COLUMNS = {"account_id", "event_id", "response_id", "ticket_id"}
MOVEMENTS = ["none", "new", "reactivation", "expansion", "contraction", "churn"]


def read(folder, name, columns, optional=()):
    """One import file as text columns (empty cell = null); None when the file is absent."""
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    header = pd.read_csv(path, nrows=0).columns
    wanted = list(columns) + [c for c in optional if c in header]
    types = {c: "category" if c in ID_COLUMNS and name != "accounts.csv" else str for c in wanted}
    frame = pd.read_csv(path, usecols=wanted, dtype=types, keep_default_na=False, na_values=[""])
    for column in optional:
        if column not in frame:
            frame[column] = np.nan
    return frame


def instant(column):
    """KPI-SPEC §1: ISO dates are 00:00 UTC; offsets are honoured; kept as naive UTC."""
    return pd.to_datetime(column.str.strip(), utc=True).dt.tz_convert(None)


def load(folder):
    """Reads and types the files the shared KPIs need (usage, payments and costs are not among them)."""
    accounts = read(folder, "accounts.csv", ["account_id", "created_at"], ["segment"])
    mrr = read(folder, "mrr_changes.csv", ["account_id", "effective_at", "mrr"], ["event_id"])
    mrr["effective_at"] = instant(mrr["effective_at"])
    mrr["mrr"] = mrr["mrr"].astype(float)
    data = {"accounts": accounts, "mrr": mrr}
    responses = read(folder, "responses.csv", ["response_id", "submitted_at", "metric", "score"],
                     ["account_id", "scale"])
    if responses is not None:
        responses["submitted_at"] = instant(responses["submitted_at"])
        responses["metric"] = responses["metric"].str.strip().str.lower()
        responses["score"] = responses["score"].astype(float)
        responses["scale"] = responses["scale"].astype(float)
        data["responses"] = responses
    tickets = read(folder, "tickets.csv", ["ticket_id", "opened_at", "contacts"],
                   ["account_id", "resolved_at", "abandoned"])
    if tickets is not None:
        tickets["opened_at"] = instant(tickets["opened_at"])
        tickets["contacts"] = tickets["contacts"].astype(int)
        data["tickets"] = tickets
    renewals = read(folder, "renewals.csv", ["account_id", "due_at", "outcome"])
    if renewals is not None:
        renewals["due_at"] = instant(renewals["due_at"])
        renewals["outcome"] = renewals["outcome"].str.strip().str.lower()
        data["renewals"] = renewals
    return data


def month_index(stamps, first):
    """Months since the first period (negative before it)."""
    return (stamps.dt.year - first.year) * 12 + (stamps.dt.month - first.month)


class Grouper:
    """Sums per (segment, month), with the total as the last row: arrays of shape (segments + 1, months)."""

    def __init__(self, months, segments):
        self.months = months
        self.segments = segments

    def sums(self, period, segment, values):
        """Event rows tagged with a month index and a segment code (-1: no segment, total only)."""
        keep = (period >= 0) & (period < self.months)
        period, segment = period[keep], segment[keep]
        has_segment = segment >= 0
        cell = segment[has_segment] * self.months + period[has_segment]
        size = len(self.segments) * self.months
        out = {}
        for name, value in values.items():
            value = np.asarray(value, dtype=float)[keep]
            by_segment = np.bincount(cell, weights=value[has_segment], minlength=size)
            total = np.bincount(period, weights=value, minlength=self.months)
            out[name] = np.vstack([by_segment.reshape(len(self.segments), self.months), total])
        return out

    def per_account(self, segment_of, matrices):
        """Account x month matrices, summed over the accounts of each segment and over all accounts."""
        has_segment = segment_of >= 0
        out = {}
        for name, matrix in matrices.items():
            frame = pd.DataFrame(matrix, dtype=float)
            by_segment = frame[has_segment].groupby(segment_of[has_segment]).sum()
            by_segment = by_segment.reindex(range(len(self.segments)), fill_value=0.0)
            out[name] = np.vstack([by_segment.to_numpy(), frame.sum().to_numpy()])
        return out


def account_changes(data, codes):
    """KPI-SPEC §2: a repeated event_id counts once; at one (account, effective_at) the later line wins."""
    mrr = data["mrr"]
    mrr = mrr[mrr["event_id"].isna() | ~mrr.duplicated("event_id")]
    changes = pd.DataFrame({"a": account_codes(mrr["account_id"], codes), "at": mrr["effective_at"],
                            "new": mrr["mrr"]})
    changes = changes.drop_duplicates(["a", "at"], keep="last")
    return changes.sort_values(["a", "at"], kind="stable")


def balances(changes, segment_of, first, grouper):
    """KPI-SPEC §3: each account's MRR at every period boundary, then S, E, N, mrr, nrr and grr sums."""
    boundary = (month_index(changes["at"], first) + 1).clip(lower=0)
    in_range = boundary <= grouper.months
    # The state at boundary j is the latest change strictly before it, carried forward.
    last = changes[in_range].groupby(["a", boundary[in_range]])["new"].last()
    grid = np.full((len(segment_of), grouper.months + 1), np.nan)
    grid[last.index.get_level_values(0), last.index.get_level_values(1)] = last.to_numpy()
    grid = pd.DataFrame(grid).ffill(axis=1).fillna(0.0).to_numpy()
    start, end = grid[:, :-1], grid[:, 1:]
    active_start, active_end = start > 0, end > 0
    return grouper.per_account(segment_of, {
        "mrr": end,
        "e": active_end,
        "s": active_start,
        "n": active_end & ~active_start,
        "s_start": np.where(active_start, start, 0.0),
        "s_end": np.where(active_start, end, 0.0),
        "s_kept": np.where(active_start, np.minimum(start, end), 0.0),
    })


def movements(changes, segment_of, first, grouper):
    """KPI-SPEC §3: classify every change against the account's previous state."""
    changes = changes.copy()
    by_account = changes.groupby("a")
    changes["old"] = by_account["new"].shift(1).fillna(0.0)
    ever = (changes["new"] > 0).groupby(changes["a"]).cummax()
    changes["was_active"] = ever.groupby(changes["a"]).shift(1).fillna(False).astype(bool)
    old, new, was = changes["old"], changes["new"], changes["was_active"]
    kind = np.select(
        [(old == 0) & (new > 0) & ~was, (old == 0) & (new > 0), (old > 0) & (new > old),
         (old > 0) & (new > 0) & (new < old), (old > 0) & (new == 0)], [1, 2, 3, 4, 5], 0)
    kind = pd.Categorical.from_codes(kind, MOVEMENTS)
    amount = np.select([kind == "expansion", kind == "contraction", kind == "churn"],
                       [new - old, old - new, old], new)
    changes["kind"], changes["amount"] = kind, amount
    changes["p"] = month_index(changes["at"], first).to_numpy()
    a = changes["a"].to_numpy()
    sums = grouper.sums(changes["p"].to_numpy(), segment_of[a], {
        f"{k}_mrr": np.where(kind == k, amount, 0.0) for k in ["new", "reactivation", "expansion",
                                                                "contraction", "churn"]})
    # Customer counts are distinct accounts per period and movement kind.
    firsts = changes.drop_duplicates(["p", "a", "kind"])
    fk, fa = firsts["kind"], firsts["a"].to_numpy()
    sums.update(grouper.sums(firsts["p"].to_numpy(), segment_of[fa], {
        "new_customers": fk == "new", "reactivated_customers": fk == "reactivation",
        "churned_customers": fk == "churn"}))
    return sums


def satisfaction(data, codes, segment_of, first, grouper):
    """Survey answers in the period; a repeated response_id counts once."""
    if "responses" not in data:
        return {}
    r = data["responses"].drop_duplicates("response_id")
    metric, score = r["metric"].to_numpy(), r["score"].to_numpy()
    # KPI-SPEC §4: a 5-point ces answer s counts as 1 + (s - 1) * 6/4; blank scale means 7.
    scale = np.where(np.isnan(r["scale"].to_numpy()), 7, r["scale"].to_numpy())
    ces7 = np.where(scale == 5, 1 + (score - 1) * 1.5, score)
    nps, csat, ces, fcr = (metric == m for m in ["nps", "csat", "ces", "fcr"])
    return grouper.sums(month_index(r["submitted_at"], first).to_numpy(), account_segments(r, codes, segment_of), {
        "nps_n": nps, "promoters": nps & (score >= 9), "detractors": nps & (score <= 6),
        "csat_n": csat, "csat_happy": csat & (score >= 4), "csat_sum": np.where(csat, score, 0.0),
        "ces_n": ces, "ces_sum": np.where(ces, ces7, 0.0),
        "ces_high": ces & (score >= np.where(scale == 5, 4, 5)),
        "fcr_answers": fcr, "fcr_yes": fcr & (score == 1)})


def support(data, codes, segment_of, first, grouper):
    """Tickets opened in the period; a repeated ticket_id counts once."""
    if "tickets" not in data:
        return {}
    t = data["tickets"].drop_duplicates("ticket_id")
    abandoned = t["abandoned"].fillna("false").str.strip().str.lower().isin(TRUE_WORDS).to_numpy()
    resolved_first = t["resolved_at"].notna().to_numpy() & (t["contacts"].to_numpy() == 1)
    return grouper.sums(month_index(t["opened_at"], first).to_numpy(), account_segments(t, codes, segment_of), {
        "tickets": ~abandoned, "first_contact": ~abandoned & resolved_first})


def renewal_sums(data, codes, segment_of, first, grouper):
    """Renewals due in the period (rows are keyed by the whole row)."""
    if "renewals" not in data:
        return {}
    r = data["renewals"].drop_duplicates()
    outcome = r["outcome"].to_numpy()
    return grouper.sums(month_index(r["due_at"], first).to_numpy(), account_segments(r, codes, segment_of), {
        "renewed": outcome == "renewed", "decided": np.isin(outcome, ["renewed", "churned"])})


def account_codes(column, codes):
    """Positions of a categorical account_id column in the accounts index (-1: blank or unknown)."""
    lookup = codes.get_indexer(column.cat.categories)
    return np.where(column.cat.codes >= 0, lookup[column.cat.codes], -1)


def account_segments(frame, codes, segment_of):
    """The segment code of each row's account; -1 without an account (such rows count only in totals)."""
    account = account_codes(frame["account_id"], codes)
    return np.where(account >= 0, segment_of[np.maximum(account, 0)], -1)


def ratio(part, whole, scale=100.0):
    """KPI-SPEC §4: a ratio with a zero denominator is null."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, scale * part / np.where(whole > 0, whole, 1), np.nan)


def kpis(s):
    """Finalises the sums (arrays per segment row and month) into the KPIs of KPI-SPEC §4."""
    net = s["new_mrr"] + s["reactivation_mrr"] + s["expansion_mrr"] - s["contraction_mrr"] - s["churn_mrr"]
    zeros = np.zeros_like(s["mrr"])
    get = lambda k: s.get(k, zeros)  # noqa: E731
    return {
        "mrr": s["mrr"], "active_customers": s["e"], "arpa": ratio(s["mrr"], s["e"], 1.0),
        "new_mrr": s["new_mrr"], "reactivation_mrr": s["reactivation_mrr"],
        "expansion_mrr": s["expansion_mrr"], "contraction_mrr": s["contraction_mrr"],
        "churned_mrr": s["churn_mrr"], "net_new_mrr": net,
        "nrr": ratio(s["s_end"], s["s_start"]), "grr": ratio(s["s_kept"], s["s_start"]),
        "crr": ratio(s["e"] - s["n"], s["s"]), "churn_rate": ratio(s["churned_customers"], s["s"]),
        "new_customers": s["new_customers"], "reactivated_customers": s["reactivated_customers"],
        "churned_customers": s["churned_customers"],
        "renewal_rate": ratio(get("renewed"), get("decided")),
        "nps": ratio(get("promoters") - get("detractors"), get("nps_n")), "nps_responses": get("nps_n"),
        "csat": ratio(get("csat_happy"), get("csat_n")), "csat_mean": ratio(get("csat_sum"), get("csat_n"), 1.0),
        "ces": ratio(get("ces_sum"), get("ces_n"), 1.0), "ces_high_effort_pct": ratio(get("ces_high"), get("ces_n")),
        "fcr": ratio(get("first_contact"), get("tickets")),
        "fcr_perceived": ratio(get("fcr_yes"), get("fcr_answers")),
    }


def report(data, first, months):
    accounts = data["accounts"].drop_duplicates("account_id")
    codes = pd.Index(accounts["account_id"])
    segment_of, segments = pd.factorize(accounts["segment"], sort=True)
    grouper = Grouper(months, list(segments))
    changes = account_changes(data, codes)
    sums = {**balances(changes, segment_of, first, grouper), **movements(changes, segment_of, first, grouper)}
    for family in (satisfaction, support, renewal_sums):
        sums.update(family(data, codes, segment_of, first, grouper))
    values = kpis(sums)
    rows = []
    for month in range(months):
        start = first + pd.DateOffset(months=month)
        for index, segment in [(len(segments), None)] + list(enumerate(segments)):
            rows.append({
                "start": start.strftime("%Y-%m-%dT00:00:00.000Z"),
                "end": (start + pd.DateOffset(months=1)).strftime("%Y-%m-%dT00:00:00.000Z"),
                "segment": segment,
                "kpis": {k: nullable(v[index, month]) for k, v in values.items()},
            })
    return rows


def nullable(value):
    value = float(value)
    return None if np.isnan(value) else value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args()
    first, last = pd.Timestamp(args.start), pd.Timestamp(args.end)
    months = (last.year - first.year) * 12 + last.month - first.month

    began = time.perf_counter()
    data = load(args.folder)
    load_s = time.perf_counter() - began
    rows = report(data, first, months)  # warm-up
    runs = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        rows = report(data, first, months)
        runs.append(time.perf_counter() - began)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"load_s": load_s, "runs_s": runs, "peak_rss_mb": peak_mb, "rows": rows}
    out = open(args.out, "w") if args.out else sys.stdout
    json.dump(result, out)
    if args.out:
        out.close()


if __name__ == "__main__":
    main()
