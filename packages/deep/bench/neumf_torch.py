#!/usr/bin/python3
"""PyTorch reference for bench/neumf.bench.ts: the same NeuMF (He et al. 2017) architecture and data sizes.

Usage: neumf_torch.py USERS ITEMS POSITIVES NEGATIVES BATCH EPOCHS GMF_DIM MLP_EMB_DIM LAYERS(comma) THREADS
Positives are random (user, item) pairs (the epoch's cost does not depend on which); prints one JSON object.
"""
import json
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print(json.dumps({"skipped": "python3-torch is not installed (apt-get install -y python3-torch)"}))
    sys.exit(0)

users, items, positives, negatives, batch, epochs, gmf_dim, mlp_dim = map(int, sys.argv[1:9])
layers = [int(x) for x in sys.argv[9].split(",")]
threads = int(sys.argv[10])
torch.set_num_threads(threads)
torch.manual_seed(42)


class NeuMF(nn.Module):
    def __init__(self):
        super().__init__()
        self.gu = nn.Embedding(users, gmf_dim)
        self.gi = nn.Embedding(items, gmf_dim)
        self.mu = nn.Embedding(users, mlp_dim)
        self.mi = nn.Embedding(items, mlp_dim)
        for e in (self.gu, self.gi, self.mu, self.mi):
            nn.init.normal_(e.weight, std=0.01)
        mods, width = [], 2 * mlp_dim
        drop = [0.5, 0.3] + [0.0] * 8
        for l, units in enumerate(layers):
            mods += [nn.Linear(width, units), nn.ReLU(), nn.Dropout(drop[l])]
            width = units
        self.mlp = nn.Sequential(*mods)
        self.out = nn.Linear(gmf_dim + width, 1)

    def forward(self, u, i):
        g = self.gu(u) * self.gi(i)
        m = self.mlp(torch.cat([self.mu(u), self.mi(i)], 1))
        return self.out(torch.cat([g, m], 1)).squeeze(1)


model = NeuMF()
opt = torch.optim.Adam(model.parameters(), lr=0.001)
loss_fn = nn.BCEWithLogitsLoss()
n = positives * (1 + negatives)
u_all = torch.randint(0, users, (n,))
i_all = torch.randint(0, items, (n,))
y_all = (torch.arange(n) % (1 + negatives) == 0).float()
times = []
for epoch in range(epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    model.train()
    for s in range(0, n, batch):
        idx = perm[s : s + batch]
        opt.zero_grad()
        loss = loss_fn(model(u_all[idx], i_all[idx]), y_all[idx])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)

model.eval()
with torch.no_grad():
    one_u = torch.zeros(items, dtype=torch.long)
    all_i = torch.arange(items)
    for _ in range(5):
        model(one_u, all_i)
    t0 = time.perf_counter()
    for _ in range(50):
        model(one_u, all_i)
    one_user_ms = (time.perf_counter() - t0) / 50 * 1000
    bu = torch.randint(0, users, (1024 * 100,))
    bi = torch.randint(0, items, (1024 * 100,))
    t0 = time.perf_counter()
    for _ in range(5):
        model(bu, bi)
    batch_ms = (time.perf_counter() - t0) / 5 * 1000

times.sort()
print(json.dumps({
    "torch": torch.__version__,
    "threads": threads,
    "epochSeconds": round(times[len(times) // 2], 3),
    "rowsPerEpoch": n,
    "oneUserAllItemsMs": round(one_user_ms, 3),
    "users1024x100Ms": round(batch_ms, 3),
}))
