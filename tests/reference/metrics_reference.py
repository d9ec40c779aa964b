"""Reference values for Loom's metrics module, computed with scikit-learn.

Run: pip install scikit-learn numpy && python tests/reference/metrics_reference.py
Writes tests/reference/metrics-vectors.json, which tests/models/metrics.test.ts compares against.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, confusion_matrix, f1_score,
                             log_loss, precision_recall_curve, precision_score, recall_score, roc_auc_score, roc_curve)

warnings.simplefilter("ignore")
rng = np.random.default_rng(20240601)


def case(name, y, p, threshold=0.5, target_precision=0.8):
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    pred = (p >= threshold).astype(np.int64)
    two_classes = len(np.unique(y)) == 2
    out = {
        "name": name, "y": y.tolist(), "p": p.tolist(), "threshold": threshold,
        "accuracy": accuracy_score(y, pred),
        "precision": precision_score(y, pred, zero_division=0),
        "recall": recall_score(y, pred, zero_division=0),
        "f1": f1_score(y, pred, zero_division=0),
        "log_loss": log_loss(y, p, labels=[0, 1]),
        "brier": brier_score_loss(y, p, pos_label=1),
        "confusion": dict(zip(["tn", "fp", "fn", "tp"], confusion_matrix(y, pred, labels=[0, 1]).ravel().tolist())),
        "roc_auc": roc_auc_score(y, p) if two_classes else None,
        "average_precision": average_precision_score(y, p) if y.sum() > 0 else None,
    }
    if two_classes:
        fpr, tpr, thr = roc_curve(y, p, drop_intermediate=False)
        out["roc"] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": [None if np.isinf(t) else t for t in thr.tolist()]}
    prec, rec, thr = precision_recall_curve(y, p)
    out["pr"] = {"precision": prec.tolist(), "recall": rec.tolist(), "thresholds": thr.tolist()}
    for strategy, bins in (("uniform", 5), ("quantile", 4)):
        pt, pp = calibration_curve(y, p, n_bins=bins, strategy=strategy)
        out[f"calibration_{strategy}_{bins}"] = {"probTrue": pt.tolist(), "probPred": pp.tolist()}
    if y.sum() > 0:
        # Threshold selection: argmax F1 over the PR curve's thresholds (lowest on ties) ...
        f1 = np.where(prec[:-1] + rec[:-1] > 0, 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-300), 0)
        i = int(np.argmax(f1))
        out["max_f1"] = {"threshold": float(thr[i]), "f1": float(f1_score(y, (p >= thr[i]).astype(int), zero_division=0))}
        # ... and the lowest threshold whose precision reaches the target.
        ok = np.nonzero(prec[:-1] >= target_precision)[0]
        out["precision_target"] = {"target": target_precision, "threshold": float(thr[ok[0]]) if len(ok) else None}
    return out


n = 200
y_bal = rng.integers(0, 2, n)
p_bal = np.clip(rng.beta(2, 5, n) + 0.35 * y_bal, 0, 1)
y_tie = rng.integers(0, 2, 100)
p_tie = np.round(np.clip(rng.normal(0.4 + 0.2 * y_tie, 0.2), 0, 1), 1)
y_imb = (rng.random(400) < 0.05).astype(int)
p_imb = np.clip(rng.beta(1, 8, 400) + 0.25 * y_imb * rng.random(400), 0, 1)
y_f32 = rng.integers(0, 2, 150)
p_f32 = np.clip(rng.random(150) * 0.7 + 0.3 * y_f32, 0, 1).astype(np.float32).astype(np.float64)

cases = [
    case("sklearn docs example", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    case("balanced random", y_bal, p_bal),
    case("ties (scores rounded to 0.1)", y_tie, p_tie, threshold=0.5),
    case("imbalanced 5% positives", y_imb, p_imb, threshold=0.2, target_precision=0.5),
    case("float32 probabilities", y_f32, p_f32),
    case("perfect separation", [0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.7, 0.9]),
    case("all scores tied", [0, 1, 0, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.5]),
    case("extreme probabilities 0 and 1", [0, 1, 1, 0], [0.0, 1.0, 0.0, 1.0]),
    case("all negative", [0, 0, 0, 0], [0.1, 0.6, 0.3, 0.2]),
    case("all positive", [1, 1, 1], [0.9, 0.4, 0.7]),
]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics-vectors.json")
with open(path, "w") as f:
    json.dump({"generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}", "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {path}")
