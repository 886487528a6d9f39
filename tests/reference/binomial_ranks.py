"""Checks the order-statistic ranks of tests/intervals.rs (LARGE_N_RANKS) in 40-digit arithmetic.

For K ~ Binomial(n, p) and alpha/2 = 0.025, 0-based ranks (lo, hi) are right iff
    P(K <= lo) < alpha/2 <= P(K <= lo + 1)    (lower end; open iff P(K = 0) >= alpha/2)
    P(K > hi) <= alpha/2 < P(K > hi - 1)      (upper end; open iff P(K = n) > alpha/2)
Tails are summed exactly from the mass at k (log-gamma at 40 digits) outwards, away from the
mean. Run: python3 tests/reference/binomial_ranks.py   (needs mpmath; about a minute)
"""
import re
import mpmath as mp

mp.mp.dps = 40
HALF_ALPHA = mp.mpf("0.025")


def mass(n, k, p):
    q = 1 - p
    return mp.exp(mp.loggamma(n + 1) - mp.loggamma(k + 1) - mp.loggamma(n - k + 1)
                  + k * mp.log(p) + (n - k) * mp.log(q))


def tail_below_mean(n, k, p):
    """P(K <= k) for k < np."""
    q = 1 - p
    term = mass(n, k, p)
    total = term
    j = k
    while j > 0:
        term *= mp.mpf(j) * q / ((n - j + 1) * p)
        total += term
        j -= 1
        if term < total * mp.mpf("1e-30"):
            break
    return total


def cdf(n, k, p):
    if k < 0:
        return mp.mpf(0)
    if k >= n:
        return mp.mpf(1)
    if k < n * p:
        return tail_below_mean(n, k, p)
    return 1 - tail_below_mean(n, n - k - 1, 1 - p)


def check(n, p, lo, hi):
    p = mp.mpf(p)
    if lo is None:
        low_ok = cdf(n, 0, p) >= HALF_ALPHA
    else:
        low_ok = cdf(n, lo, p) < HALF_ALPHA <= cdf(n, lo + 1, p)
    if hi is None:
        high_ok = 1 - cdf(n, n - 1, p) > HALF_ALPHA
    else:
        high_ok = 1 - cdf(n, hi, p) <= HALF_ALPHA < 1 - cdf(n, hi - 1, p)
    return low_ok and high_ok


def main():
    text = open(__file__.replace("reference/binomial_ranks.py", "intervals.rs")).read()
    rows = re.findall(r"\((\d[\d_]*), ([\de.-]+), (None|Some\([\d_]+\)), (None|Some\([\d_]+\))\)",
                      text)
    rank = lambda s: None if s == "None" else int(s[5:-1].replace("_", ""))
    bad = 0
    for n, p, lo, hi in rows:
        ok = check(int(n.replace("_", "")), p, rank(lo), rank(hi))
        print(n, p, lo, hi, "ok" if ok else "WRONG", flush=True)
        bad += not ok
    print(f"{len(rows)} rows, {bad} wrong")
    raise SystemExit(1 if bad or not rows else 0)


if __name__ == "__main__":
    main()
