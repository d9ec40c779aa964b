"""PyTorch baseline for the Loom training benchmark: the same classifier, loss, optimiser,
batch size, epochs, threads and data (read from the exchange file written by train-bench.ts).
Prints one JSON line with samples/second and final validation loss / AUC."""
import json
import sys
import time

import numpy as np
import torch
from torch import nn


def read(path):
    with open(path, "rb") as f:
        header = json.loads(f.readline())
        d, l = header["denseDim"], header["maxTokens"]
        out = {}
        for s in header["splits"]:
            n = s["size"]
            dense = np.frombuffer(f.read(n * d * 4), dtype="<f4").reshape(n, d)
            tokens = np.frombuffer(f.read(n * l * 4), dtype="<i4").reshape(n, l)
            labels = np.frombuffer(f.read(n * 4), dtype="<f4")
            out[s["name"]] = (torch.from_numpy(dense.copy()), torch.from_numpy(tokens.astype(np.int64)), torch.from_numpy(labels.copy()))
        return header, out


class Classifier(nn.Module):
    def __init__(self, dense_dim, buckets, emb, hidden, dropout, sparse):
        super().__init__()
        # Loom's default tfidf pooling: sum of idf-weighted rows over the row's L2 norm of idf.
        self.bag = nn.EmbeddingBag(buckets + 1, emb, mode="sum", padding_idx=0, sparse=sparse)
        nn.init.normal_(self.bag.weight, 0, 0.1)
        with torch.no_grad():
            self.bag.weight[0].zero_()
        layers, width = [], dense_dim + emb
        for h in hidden:
            lin = nn.Linear(width, h)
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
            nn.init.zeros_(lin.bias)
            layers += [lin, nn.ReLU(), nn.Dropout(dropout)]
            width = h
        out = nn.Linear(width, 1)
        nn.init.xavier_normal_(out.weight)
        nn.init.zeros_(out.bias)
        self.mlp = nn.Sequential(*layers, out)

    def forward(self, dense, tokens, idf):
        w = idf[tokens]
        w = w / w.norm(dim=1, keepdim=True).clamp_min(1e-6)
        return self.mlp(torch.cat([dense, self.bag(tokens, per_sample_weights=w)], dim=1)).squeeze(1)


def fit_idf(tokens, buckets):
    # ln((1 + n) / (1 + df)) + 1 over the train split; 0 for padding and unseen buckets (as Loom).
    n = tokens.shape[0]
    rows = np.repeat(np.arange(n), tokens.shape[1])
    ids = tokens.numpy().ravel()
    keep = ids > 0
    pairs = np.unique(rows[keep] * (buckets + 1) + ids[keep])
    df = np.bincount(pairs % (buckets + 1), minlength=buckets + 1)
    idf = np.where(df > 0, np.log((1 + n) / (1 + df)) + 1, 0.0).astype(np.float32)
    idf[0] = 0
    return torch.from_numpy(idf)


def auc(scores, labels):
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # average ranks over ties
    _, inv, counts = np.unique(scores, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=ranks)
    ranks = (sums / counts)[inv]
    pos = labels > 0.5
    npos, nneg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def main():
    path, cfg = sys.argv[1], json.loads(sys.argv[2])
    torch.set_num_threads(cfg["threads"])
    torch.set_num_interop_threads(1)
    torch.manual_seed(cfg["seed"])
    header, data = read(path)
    xd, xt, y = data["train"]
    vd, vt, vy = data["validation"]
    idf = fit_idf(xt, header["textBuckets"])
    sparse = cfg.get("sparseEmbedding", False)
    model = Classifier(header["denseDim"], header["textBuckets"], cfg["embedding"], cfg["hidden"], cfg["dropout"], sparse)
    rest = [p for name, p in model.named_parameters() if name != "bag.weight"]
    if sparse:
        # Lazy Adam on the embedding (only the rows a batch uses move, as in Loom), AdamW for the rest.
        opts = [torch.optim.SparseAdam([model.bag.weight], lr=cfg["learningRate"], eps=1e-8),
                torch.optim.AdamW(rest, lr=cfg["learningRate"], weight_decay=cfg["weightDecay"], eps=1e-8, foreach=True)]
    else:
        opts = [torch.optim.AdamW(model.parameters(), lr=cfg["learningRate"], weight_decay=cfg["weightDecay"], eps=1e-8, foreach=True)]
    n = len(y)
    pos = float(y.sum())
    w0, w1 = n / (2 * (n - pos)), n / (2 * pos)
    gen = torch.Generator().manual_seed(cfg["seed"])
    bs = cfg["batchSize"]
    train_seconds = 0.0
    history = []
    for epoch in range(cfg["epochs"]):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for s in range(0, n, bs):
            idx = perm[s:s + bs]
            yb = y[idx]
            logits = model(xd[idx], xt[idx], idf)
            weights = torch.where(yb > 0.5, w1, w0)
            loss = nn.functional.binary_cross_entropy_with_logits(logits, yb, weight=weights)
            for opt in opts:
                opt.zero_grad(set_to_none=True)
            loss.backward()
            for opt in opts:
                opt.step()
            total += float(loss.detach()) * len(idx)
        train_seconds += time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            vl = model(vd, vt, idf)
            val_loss = float(nn.functional.binary_cross_entropy_with_logits(vl, vy))
            history.append({"epoch": epoch + 1, "trainLoss": total / n, "valLoss": val_loss, "valAuc": auc(vl.numpy(), vy.numpy())})
    print(json.dumps({"samplesPerSecond": n * cfg["epochs"] / train_seconds, "trainSeconds": train_seconds, "history": history, "torch": torch.__version__, "sparseEmbedding": sparse}))


if __name__ == "__main__":
    main()
