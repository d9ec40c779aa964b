"""Reference vectors for Loom's stats module, computed with scipy and statsmodels.

Run: python3 tests/reference/stats/generate_vectors.py  (needs numpy, scipy, statsmodels)
Writes vectors.json beside this file; the TypeScript tests read it and never need Python.
"""
import json
import math
import pathlib

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

rng = np.random.default_rng(20240607)
out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}}

# --- distributions, including the far tails -----------------------------------------------------
zs = [-37, -20, -10, -5, -1.96, -1, -0.1, 0, 0.1, 0.5, 1, 1.644853627, 1.96, 3, 5, 8, 10, 15, 20, 30, 37]
out["normal"] = [{"z": z, "cdf": stats.norm.cdf(z), "sf": stats.norm.sf(z), "pdf": stats.norm.pdf(z)} for z in zs]
ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.001, 0.01, 0.02425, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999]
out["normalQuantile"] = [{"p": p, "ppf": stats.norm.ppf(p), "isf": stats.norm.isf(p)} for p in ps]
ts = [0, 0.5, 1, 2, 2.5, 4, 10, 20, 37, -2, -10]
dfs = [1, 2, 3, 5, 10, 29.5, 100, 1000, 42000.7, 1e6]
out["studentT"] = [{"t": t, "df": df, "sf": stats.t.sf(t, df), "cdf": stats.t.cdf(t, df)} for t in ts for df in dfs]
tps = [1e-12, 1e-6, 0.001, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.995]
out["studentTQuantile"] = [{"p": p, "df": df, "ppf": stats.t.ppf(p, df)} for p in tps for df in dfs]
chis = [(0.5, 1), (3.84, 1), (30, 2), (3, 10), (100, 10), (500, 3), (1500, 2), (2, 50), (80, 50)]
out["chiSquare"] = [{"x": x, "df": k, "sf": stats.chi2.sf(x, k), "cdf": stats.chi2.cdf(x, k)} for x, k in chis]


def sums(y):
    return {"n": int(len(y)), "sum": float(np.sum(y)), "sumSquares": float(np.sum(y * y))}


def cross(x, y):
    return {"sum": float(np.sum(x)), "sumSquares": float(np.sum(x * x)), "sumProducts": float(np.sum(x * y))}


# --- two-sample Welch comparisons on raw data ----------------------------------------------------
welch = []
for case in range(40):
    n_a, n_b = (int(v) for v in rng.integers(2, 3000, size=2))
    shape = case % 4
    if shape == 0:
        a, b = rng.normal(10, 3, n_a), rng.normal(10.4, 4, n_b)
    elif shape == 1:
        a, b = rng.lognormal(1, 1, n_a), rng.lognormal(1.1, 1, n_b)
    elif shape == 2:
        a, b = rng.exponential(50, n_a) * (rng.random(n_a) < 0.1), rng.exponential(55, n_b) * (rng.random(n_b) < 0.12)
    else:
        a, b = rng.normal(100, 1, n_a), rng.normal(100.05, 1.5, n_b)
    r = stats.ttest_ind(b, a, equal_var=False)
    ci95 = r.confidence_interval(0.95)
    ci90 = r.confidence_interval(0.90)
    va, vb = a.var(ddof=1) / n_a, b.var(ddof=1) / n_b
    ma, mb = a.mean(), b.mean()
    rel_se = math.sqrt(vb / ma**2 + mb**2 * va / ma**4)
    welch.append({
        "control": sums(a), "treatment": sums(b),
        "diff": mb - ma, "statistic": float(r.statistic), "pValue": float(r.pvalue), "df": float(r.df),
        "ci95": [float(ci95.low), float(ci95.high)], "ci90": [float(ci90.low), float(ci90.high)],
        "relative": mb / ma - 1, "relativeSe": rel_se,
        "relativeCi95": [mb / ma - 1 - stats.t.isf(0.025, r.df) * rel_se, mb / ma - 1 + stats.t.isf(0.025, r.df) * rel_se],
    })
out["welch"] = welch

# --- proportions: Welch on 0/1 plus the pooled two-proportion z ----------------------------------
props = []
for _ in range(20):
    n_a, n_b = (int(v) for v in rng.integers(30, 20000, size=2))
    p = rng.uniform(0.01, 0.6)
    x_a, x_b = int(rng.binomial(n_a, p)), int(rng.binomial(n_b, p * rng.uniform(0.9, 1.2)))
    a = np.r_[np.ones(x_a), np.zeros(n_a - x_a)]
    b = np.r_[np.ones(x_b), np.zeros(n_b - x_b)]
    z, pz = proportions_ztest([x_b, x_a], [n_b, n_a])
    r = stats.ttest_ind(b, a, equal_var=False)
    props.append({"control": sums(a), "treatment": sums(b), "z": float(z), "zPValue": float(pz), "welchPValue": float(r.pvalue), "welchDf": float(r.df)})
out["proportions"] = props

# --- ratio metrics: delta method through the linearisation x − R·y -------------------------------
ratios = []
for _ in range(15):
    def arm(n, lift):
        visits = rng.poisson(3, n) + 1.0
        revenue = visits * rng.gamma(2, 10 * lift, n) * (rng.random(n) < 0.3)
        return revenue, visits
    n_a, n_b = (int(v) for v in rng.integers(50, 5000, size=2))
    xa, ya = arm(n_a, 1.0)
    xb, yb = arm(n_b, rng.uniform(0.95, 1.15))

    def ratio_var(x, y):
        r = x.sum() / y.sum()
        return r, np.var(x - r * y, ddof=1) / (len(x) * y.mean() ** 2)
    ra, va = ratio_var(xa, ya)
    rb, vb = ratio_var(xb, yb)
    ratios.append({
        "control": {**sums(xa), "denominator": cross(ya, xa)}, "treatment": {**sums(xb), "denominator": cross(yb, xb)},
        "controlRatio": ra, "treatmentRatio": rb, "controlVar": va, "treatmentVar": vb,
        "diff": rb - ra, "pValue": float(2 * stats.norm.sf(abs(rb - ra) / math.sqrt(va + vb))),
    })
out["ratio"] = ratios

# --- CUPED: the treatment coefficient of OLS y ~ 1 + arm + x -------------------------------------
cuped = []
for _ in range(15):
    n_a, n_b = (int(v) for v in rng.integers(20, 4000, size=2))
    rho = rng.uniform(0, 0.9)

    def arm(n, effect):
        x = rng.normal(50, 10, n)
        y = 5 + rho * 0.3 * (x - 50) + rng.normal(0, 3 * math.sqrt(1 - rho**2) + 0.5, n) + effect
        return x, y
    xa, ya = arm(n_a, 0)
    xb, yb = arm(n_b, rng.uniform(0, 0.5))
    design = np.column_stack([np.ones(n_a + n_b), np.r_[np.zeros(n_a), np.ones(n_b)], np.r_[xa, xb]])
    fit = sm.OLS(np.r_[ya, yb], design).fit()
    theta = fit.params[2]
    adj_var = np.var(yb - theta * xb, ddof=1) / n_b + np.var(ya - theta * xa, ddof=1) / n_a
    raw_var = np.var(yb, ddof=1) / n_b + np.var(ya, ddof=1) / n_a
    cuped.append({
        "control": {**sums(ya), "covariate": cross(xa, ya)}, "treatment": {**sums(yb), "covariate": cross(xb, yb)},
        "theta": float(theta), "diff": float(fit.params[1]), "se": math.sqrt(adj_var), "varianceReduction": 1 - adj_var / raw_var,
        "olsHc1Se": float(fit.get_robustcov_results("HC1").bse[1]),
    })
out["cuped"] = cuped

# --- multiple testing ------------------------------------------------------------------------------
families = []
for k in [1, 2, 3, 5, 8, 20, 50]:
    for _ in range(3):
        p = rng.uniform(0, 0.2, k) ** rng.uniform(0.5, 3)
        if k >= 5:
            p[1] = p[3]  # ties
            p[0] = 0.0
        families.append({"p": p.tolist(), "holm": multipletests(p, method="holm")[1].tolist(), "bh": multipletests(p, method="fdr_bh")[1].tolist()})
out["multipleTesting"] = families

# --- SRM ---------------------------------------------------------------------------------------------
srm = []
for obs, w in [([5000, 5000], [1, 1]), ([5100, 4900], [1, 1]), ([5300, 4700], [1, 1]), ([21306, 21387, 21307], [1, 1, 1]),
               ([900, 2100], [3, 7]), ([1000, 1000, 1000, 1200], [1, 1, 1, 1]), ([50000, 50600], [0.5, 0.5]), ([7, 13], [1, 1])]:
    f_exp = np.array(w) / np.sum(w) * np.sum(obs)
    r = stats.chisquare(obs, f_exp)
    srm.append({"observed": obs, "weights": w, "chiSquare": float(r.statistic), "pValue": float(r.pvalue)})
out["srm"] = srm

# --- Bayesian: posterior, chance to beat control and expected loss (scipy truncnorm) ---------------
bayes = []
for est, se, pm, psd in [(0.05, 0.02, 0, 0.3), (-0.03, 0.05, 0, 0.3), (0.0, 0.01, 0, 0.3), (0.2, 0.15, 0.0, 0.1), (0.01, 0.004, 0.02, 0.3), (-0.4, 0.3, 0, 0.3)]:
    prec = 1 / se**2 + 1 / psd**2
    mu = (est / se**2 + pm / psd**2) / prec
    sd = math.sqrt(1 / prec)
    p_neg = stats.norm.cdf(0, mu, sd)
    tn_neg = stats.truncnorm.mean(-np.inf, (0 - mu) / sd, loc=mu, scale=sd)
    tn_pos = stats.truncnorm.mean((0 - mu) / sd, np.inf, loc=mu, scale=sd)
    bayes.append({
        "estimate": est, "se": se, "prior": {"mean": pm, "sd": psd}, "posteriorMean": mu, "posteriorSd": sd,
        "chanceToBeatControl": float(stats.norm.sf(0, mu, sd)),
        "lossTreatment": float(-p_neg * tn_neg), "lossControl": float((1 - p_neg) * tn_pos),
        "ci95": [float(stats.norm.ppf(0.025, mu, sd)), float(stats.norm.ppf(0.975, mu, sd))],
    })
out["bayesian"] = bayes


def clean(o):
    if isinstance(o, float) and not math.isfinite(o):
        return str(o)
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    if isinstance(o, (np.floating, np.integer)):
        return clean(o.item())
    return o


path = pathlib.Path(__file__).with_name("vectors.json")
path.write_text(json.dumps(clean(out), indent=1) + "\n")
print(f"wrote {path}")
