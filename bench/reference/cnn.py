#!/usr/bin/python3
# The CNN of nnplay-train mnist --model cnn in PyTorch: Conv2d(1, 24, 5) ReLU MaxPool2d(2)
# Conv2d(24, 32, 3) ReLU MaxPool2d(2) Flatten Linear(800, 256) ReLU Linear(256, 10),
# CrossEntropyLoss, Adam lr 1e-3, batch 32 (drop_last), seed 777; the training set
# preloaded as one float32 tensor [N, 1, 28, 28] (pixels / 255) and batches sliced from
# torch.randperm each epoch. Test accuracy after the last epoch. Reads the IDX files.
# Env: DATA (default data/mnist), EPOCHS (default 1), THREADS (torch.set_num_threads).
import os
import sys
import time

T_START = time.perf_counter()
import torch
import torch.nn as nn
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idx import load_mnist
T_IMPORTED = time.perf_counter()

if os.environ.get("THREADS"):
    torch.set_num_threads(int(os.environ["THREADS"]))
torch.manual_seed(777)
epochs = int(os.environ.get("EPOCHS", "1"))
batch_size = 32

tr_x, tr_y, te_x, te_y = load_mnist(os.environ.get("DATA", "data/mnist"))
X_train = torch.from_numpy(tr_x.reshape(-1, 1, 28, 28).astype("float32") / 255.0)
Y_train = torch.from_numpy(tr_y.astype("int64"))
X_test = torch.from_numpy(te_x.reshape(-1, 1, 28, 28).astype("float32") / 255.0)
Y_test = torch.from_numpy(te_y.astype("int64"))
n = X_train.shape[0]
steps = n // batch_size

model = nn.Sequential(nn.Conv2d(1, 24, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(24, 32, 3), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(800, 256), nn.ReLU(), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
T_READY = time.perf_counter()

epoch_times = []
epoch_cpu = []  # process CPU seconds per epoch (all threads)
for epoch in range(epochs):
    t0 = time.perf_counter()
    c0 = time.process_time()
    perm = torch.randperm(n)
    total = 0.0
    for i in range(steps):
        idx = perm[i * batch_size:(i + 1) * batch_size]
        optimizer.zero_grad()
        loss = criterion(model(X_train[idx]), Y_train[idx])
        loss.backward()
        optimizer.step()
        total += loss.item()
    epoch_times.append(time.perf_counter() - t0)
    epoch_cpu.append(time.process_time() - c0)
    print('Epoch: %04d cost = %.9f' % (epoch + 1, total / steps))
    print('TIME epoch %d %.4f' % (epoch + 1, epoch_times[-1]))
    print('TIME epoch_cpu %d %.4f' % (epoch + 1, epoch_cpu[-1]), flush=True)
T_TRAINED = time.perf_counter()

with torch.no_grad():
    acc = (model(X_test).argmax(1) == Y_test).float().mean().item()
T_END = time.perf_counter()
med = sorted(epoch_times)[len(epoch_times) // 2] if epoch_times else 0.0
cmed = sorted(epoch_cpu)[len(epoch_cpu) // 2] if epoch_cpu else 0.0
print('Accuracy:', acc)
print('TIME import %.4f' % (T_IMPORTED - T_START))
print('TIME setup %.4f' % (T_READY - T_IMPORTED))
print('TIME train %.4f' % (T_TRAINED - T_READY))
print('TIME eval %.4f' % (T_END - T_TRAINED))
print('TIME total %.4f' % (T_END - T_START))
print('RESULT workload=cnn epochs=%d steps_per_epoch=%d epoch_median=%.4f epoch_cpu_median=%.4f '
      'epoch_min=%.4f acc=%.4f final_cost=%.9f threads=%d'
      % (epochs, steps, med, cmed, min(epoch_times) if epoch_times else 0.0, acc,
                                      total / steps if epochs else 0.0, torch.get_num_threads()))
