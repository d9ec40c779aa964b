"""Reference figures for the Hillstrom e-mail experiment, from the raw rows with scipy/statsmodels.

Run: python3 tests/reference/stats/hillstrom.py  (reads ../shared/data/hillstrom.csv beside the clone)
Writes hillstrom.json beside this file; tests/stats/hillstrom.test.ts recomputes every figure in
TypeScript from sufficient statistics of the same CSV and compares.
"""
import csv
import json
import math
import pathlib

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

HERE = pathlib.Path(__file__).resolve().parent
CSV = HERE.parents[2].parent / "shared" / "data" / "hillstrom.csv"
CONTROL, TREATMENTS, METRICS = "No E-Mail", ["Mens E-Mail", "Womens E-Mail"], ["visit", "conversion", "spend"]

with open(CSV, newline="") as f:
    rows = list(csv.DictReader(f))
arms = {}
for name in [CONTROL, *TREATMENTS]:
    sel = [r for r in rows if r["segment"] == name]
    arms[name] = {k: np.array([float(r[k]) for r in sel]) for k in [*METRICS, "history"]}

out = {"control": CONTROL, "counts": {k: int(len(v["visit"])) for k, v in arms.items()}}
counts = [out["counts"][k] for k in [CONTROL, *TREATMENTS]]
srm = stats.chisquare(counts)
out["srm"] = {"arms": [CONTROL, *TREATMENTS], "chiSquare": float(srm.statistic), "pValue": float(srm.pvalue)}

comparisons, pvals = [], []
for arm in TREATMENTS:
    for metric in METRICS:
        a, b = arms[CONTROL][metric], arms[arm][metric]
        r = stats.ttest_ind(b, a, equal_var=False)
        ci = r.confidence_interval(0.95)
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        rel = b.mean() / a.mean() - 1
        rel_se = math.sqrt(vb / a.mean() ** 2 + b.mean() ** 2 * va / a.mean() ** 4)
        t_crit = stats.t.isf(0.025, r.df)
        c = {
            "arm": arm, "metric": metric, "controlMean": a.mean(), "treatmentMean": b.mean(),
            "diff": b.mean() - a.mean(), "statistic": float(r.statistic), "pValue": float(r.pvalue), "df": float(r.df),
            "ci95": [float(ci.low), float(ci.high)], "relative": rel, "relativeSe": rel_se,
            "relativeCi95": [rel - t_crit * rel_se, rel + t_crit * rel_se],
        }
        if metric != "spend":
            z, pz = proportions_ztest([b.sum(), a.sum()], [len(b), len(a)])
            c["proportionZ"] = {"statistic": float(z), "pValue": float(pz)}
        # CUPED with the pre-period `history`: OLS y ~ 1 + arm + history on these two arms.
        xa, xb = arms[CONTROL]["history"], arms[arm]["history"]
        design = np.column_stack([np.ones(len(a) + len(b)), np.r_[np.zeros(len(a)), np.ones(len(b))], np.r_[xa, xb]])
        fit = sm.OLS(np.r_[a, b], design).fit()
        theta = float(fit.params[2])
        adj_var = np.var(b - theta * xb, ddof=1) / len(b) + np.var(a - theta * xa, ddof=1) / len(a)
        c["cuped"] = {"theta": theta, "diff": float(fit.params[1]), "se": math.sqrt(adj_var),
                      "varianceReduction": 1 - adj_var / (va + vb), "olsHc1Se": float(fit.get_robustcov_results("HC1").bse[1])}
        comparisons.append(c)
        pvals.append(float(r.pvalue))

holm = multipletests(pvals, method="holm")[1]
bh = multipletests(pvals, method="fdr_bh")[1]
for c, h, b in zip(comparisons, holm, bh):
    c["holm"], c["bh"] = float(h), float(b)

# Spend per visit (ratio metric over customers), delta method by the linearisation spend − R·visit.
ratio = []
for arm in TREATMENTS:
    def rv(d):
        r = d["spend"].sum() / d["visit"].sum()
        return r, np.var(d["spend"] - r * d["visit"], ddof=1) / (len(d["spend"]) * d["visit"].mean() ** 2)
    ra, va = rv(arms[CONTROL])
    rb, vb = rv(arms[arm])
    ratio.append({"arm": arm, "controlRatio": ra, "treatmentRatio": rb, "diff": rb - ra, "se": math.sqrt(va + vb),
                  "pValue": float(2 * stats.norm.sf(abs(rb - ra) / math.sqrt(va + vb)))})
out["comparisons"] = comparisons
out["spendPerVisit"] = ratio

path = HERE / "hillstrom.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
