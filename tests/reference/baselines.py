"""scikit-learn baselines on exactly the split Loom's preprocess cell made.

Run: npx tsx tests/reference/export-split.ts womens  (and amazon), then
     pip install scikit-learn pandas && python tests/reference/baselines.py
Writes tests/reference/baselines.json: ROC AUC, PR AUC, accuracy and F1 on the test split.
Thresholds for accuracy/F1 are chosen on validation by maximum F1, as Loom's evaluate cell does.
"""
import csv
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, average_precision_score, f1_score, precision_recall_curve, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data")


def split_of(name, n):
    s = json.load(open(os.path.join(HERE, f"{name}-split.json")))
    assert s["ingestedRows"] == n, f"{name}: {n} rows here, {s['ingestedRows']} in Loom"
    split = np.array(["train"] * n, dtype=object)
    split[np.array(s["validation"]) - 1] = "validation"
    split[np.array(s["test"]) - 1] = "test"
    return split


def scores(y_val, p_val, y_test, p_test):
    prec, rec, thr = precision_recall_curve(y_val, p_val)
    f1 = np.where(prec[:-1] + rec[:-1] > 0, 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-300), 0)
    t = thr[int(np.argmax(f1))]
    pred = (p_test >= t).astype(int)
    return {"roc_auc": roc_auc_score(y_test, p_test), "pr_auc": average_precision_score(y_test, p_test),
            "accuracy": accuracy_score(y_test, pred), "f1": f1_score(y_test, pred), "threshold": float(t)}


def womens():
    df = pd.read_csv(os.path.join(DATA, "womens_clothing_reviews.csv"), keep_default_na=False, na_values=[""])
    split = split_of("womens", len(df))
    y = df["Recommended IND"].astype(int).to_numpy()
    text = (df["Title"].fillna("") + " " + df["Review Text"].fillna("")).to_numpy()
    tr, va, te = (split == "train"), (split == "validation"), (split == "test")
    out = {}
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    xtr = vec.fit_transform(text[tr])
    lr = LogisticRegression(C=4.0, max_iter=2000).fit(xtr, y[tr])
    out["tfidf_logreg_title_text"] = scores(y[va], lr.predict_proba(vec.transform(text[va]))[:, 1], y[te], lr.predict_proba(vec.transform(text[te]))[:, 1])
    tab = df[["Age", "Positive Feedback Count", "Division Name", "Department Name", "Class Name"]].copy()
    for c in ["Division Name", "Department Name", "Class Name"]:
        tab[c] = tab[c].astype("category")
    hgb = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0).fit(tab[tr], y[tr])
    out["hist_gradient_boosting_tabular"] = scores(y[va], hgb.predict_proba(tab[va])[:, 1], y[te], hgb.predict_proba(tab[te])[:, 1])
    return out


def amazon():
    rows = []
    with open(os.path.join(DATA, "amazon_cells_labelled.txt"), encoding="utf-8") as f:
        for fields in csv.reader(f, delimiter="\t"):
            if len(fields) == 2:
                rows.append((fields[0], int(fields[1])))
    text = np.array([r[0] for r in rows], dtype=object)
    y = np.array([r[1] for r in rows])
    split = split_of("amazon", len(rows))
    tr, va, te = (split == "train"), (split == "validation"), (split == "test")
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    lr = LogisticRegression(C=4.0, max_iter=2000).fit(vec.fit_transform(text[tr]), y[tr])
    return {"tfidf_logreg_sentence": scores(y[va], lr.predict_proba(vec.transform(text[va]))[:, 1], y[te], lr.predict_proba(vec.transform(text[te]))[:, 1])}


result = {"generator": f"scikit-learn {sklearn.__version__}", "womens_clothing_reviews": womens(), "amazon_cells": amazon()}
with open(os.path.join(HERE, "baselines.json"), "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")
print(json.dumps(result, indent=1))
