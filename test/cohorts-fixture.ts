// The small store of the cohort tests; test/cohort-retention.test.ts works its numbers out by hand.
// Tenure month k of a customer who started at s is (s + (k−1) months, s + k months]; as_of 2025-04-01.
// A x  new 01-15 (100), ends 02-15: exactly one month → lost in month 1. Observed 2 whole months (04-15 > as_of).
// B x  new 01-31 (50), stays. Anniversaries 02-28, 03-31: observed 2 months.
// C y  new 01-10 (200), ends 03-20: after 03-10 → lost in month 3, beyond the cohort's 2 observed months.
// D y  new 01-05 (80), ends 02-01 (lost in month 1), back 03-01 (a reactivation: not a survivor again).
// E x  new 02-01 (100), ends 03-01 exactly → lost in month 1; observed 2 months (04-01 = as_of).
// F y  new 02-20 (60), stays; observed 1 month (04-20 > as_of), so the February cohort is 1 month old.
// J y  new 01-20 (100), ends 03-10: before 03-20 → lost in month 2.
// G x  never pays: not a customer.  H x  new 03-31 12:00 (40): the March cohort, 0 months old.
// I x  new 2025-05-01: after as_of.
export const cohortAccounts = `account_id,created_at,segment
A,2025-01-01,x
B,2025-01-01,x
C,2025-01-01,y
D,2025-01-01,y
E,2025-01-20,x
F,2025-02-01,y
G,2025-02-01,x
H,2025-03-01,x
I,2025-04-15,x
J,2025-01-01,y
`;
export const cohortMrrChanges = `account_id,effective_at,mrr
A,2025-01-15,100
A,2025-02-15,0
B,2025-01-31,50
C,2025-01-10,200
C,2025-03-20,0
D,2025-01-05,80
D,2025-02-01,0
D,2025-03-01,80
E,2025-02-01,100
E,2025-03-01,0
F,2025-02-20,60
H,2025-03-31T12:00:00Z,40
I,2025-05-01,10
J,2025-01-20,100
J,2025-03-10,0
`;
