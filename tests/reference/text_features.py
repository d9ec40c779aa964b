"""Where the women's-reviews text model stands against TF-IDF + logistic regression.

Run: npx tsx tests/reference/export-split.ts womens --features /tmp/womens-features \
         [--model <run's model.onnx>]
     pip install scikit-learn pandas && python tests/reference/text_features.py /tmp/womens-features

Prints test ROC AUC of scikit-learn's logistic regression (C=4) on Loom's own hashed n-gram ids
under two poolings (mean of counts, as the old text tower; idf-weighted with L2 norm, as the
current one), the same regression on scikit-learn's own vocabulary with and without character
n-grams (the first, the baseline, also on the validation split), and, given a model's test
probabilities, the paired-bootstrap interval of its AUC difference to the baseline.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, diags
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data")
DIR = sys.argv[1]
META = json.load(open(os.path.join(DIR, "meta.json")))
BUCKETS = META["textBuckets"] + 1


def load(split):
    n, width = META[split], META["maxTokens"]
    ids = np.fromfile(os.path.join(DIR, f"{split}.tokens"), dtype="<i4").reshape(n, width)
    y = np.fromfile(os.path.join(DIR, f"{split}.labels"), dtype="<f4")
    rows = np.repeat(np.arange(n), width)
    keep = ids.ravel() > 0
    x = csr_matrix((np.ones(keep.sum()), (rows[keep], ids.ravel()[keep])), shape=(n, BUCKETS))
    x.sum_duplicates()
    return x, y


def row_scale(x, s):
    return diags(1 / np.maximum(s, 1e-12)) @ x


def auc_of(features, xtr, ytr, xte, yte, c=4.0):
    lr = LogisticRegression(C=c, max_iter=3000).fit(features(xtr), ytr)
    return lr.predict_proba(features(xte))[:, 1]


xtr, ytr = load("train")
xte, yte = load("test")
df = np.asarray((xtr > 0).sum(0)).ravel()
idf = np.where(df > 0, np.log((1 + xtr.shape[0]) / (1 + df)) + 1, 0.0)
idf[0] = 0
mean_pool = lambda x: row_scale(x, np.asarray(x.sum(1)).ravel())  # noqa: E731
tfidf_pool = lambda x: row_scale(x @ diags(idf), np.sqrt(np.asarray((x @ diags(idf ** 2)).sum(1)).ravel()))  # noqa: E731
out = {
    "loom_ids_mean_pooled_logreg_C256": roc_auc_score(yte, auc_of(mean_pool, xtr, ytr, xte, yte, c=256.0)),
    "loom_ids_tfidf_pooled_logreg_C4": roc_auc_score(yte, auc_of(tfidf_pool, xtr, ytr, xte, yte)),
}

reviews = pd.read_csv(os.path.join(DATA, "womens_clothing_reviews.csv"), keep_default_na=False, na_values=[""])
s = json.load(open(os.path.join(HERE, "womens-split.json")))
split = np.array(["train"] * len(reviews), dtype=object)
split[np.array(s["validation"]) - 1] = "validation"
split[np.array(s["test"]) - 1] = "test"
text = (reviews["Title"].fillna("") + " " + reviews["Review Text"].fillna("")).to_numpy()
y = reviews["Recommended IND"].astype(int).to_numpy()
tr, va, te = split == "train", split == "validation", split == "test"
assert (y[te] == yte).all(), "test rows are not in the same order as Loom's feature table"
baseline = None
for name, vec in [("sklearn_words_1_2", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                  ("sklearn_words_1_2_plus_char_3_5", None)]:
    if vec is None:
        from scipy.sparse import hstack
        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(text[tr])
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True).fit(text[tr])
        f = lambda t: hstack([words.transform(t), chars.transform(t)]).tocsr()  # noqa: E731
    else:
        vec.fit(text[tr])
        f = vec.transform
    lr = LogisticRegression(C=4.0, max_iter=3000).fit(f(text[tr]), y[tr])
    p = lr.predict_proba(f(text[te]))[:, 1]
    out[name] = roc_auc_score(y[te], p)
    if baseline is None:
        baseline = p
        out[name + "_validation"] = roc_auc_score(y[va], lr.predict_proba(f(text[va]))[:, 1])

probs = os.path.join(DIR, "test.loom-probs")
if os.path.exists(probs):
    loom = np.fromfile(probs, dtype="<f4")
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(2000):
        i = rng.integers(0, len(yte), len(yte))
        diffs.append(roc_auc_score(yte[i], loom[i]) - roc_auc_score(yte[i], baseline[i]))
    out["loom_model"] = roc_auc_score(yte, loom)
    out["loom_minus_baseline"] = out["loom_model"] - out["sklearn_words_1_2"]
    out["bootstrap_95ci"] = list(np.percentile(diffs, [2.5, 97.5]))
print(json.dumps(out, indent=1))
